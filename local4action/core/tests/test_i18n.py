"""Every user-facing string must be translated into French and Spanish."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LANGUAGES = ("fr", "es")
DOMAINS = ("django",)


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    """Run makemessages against a copy of the catalogues: the result holds every string the
    code uses now, merged with the committed translations."""
    locale = tmp_path_factory.mktemp("i18n") / "locale"
    shutil.copytree(settings.LOCALE_PATHS[0], locale)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            *[f"-l{lang}" for lang in LANGUAGES],
            "--ignore=.venv",
            "--ignore=node_modules",
            "--ignore=staticfiles",
            "--ignore=media",
            # Else makemessages finds the real catalogues while walking the code and merges
            # into them instead of the copy.
            "--ignore=local4action/locale",
            "--no-obsolete",
            "-v0",
        ],
        cwd=settings.BASE_DIR,
        env={**os.environ, "LOCALE_DIR": str(locale)},
        check=True,
    )
    return locale


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_in_the_code_is_translated(fresh_catalogues, language):
    catalogue = polib.pofile(str(fresh_catalogues / language / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not missing, f"{len(missing)} strings without a {language} translation: {missing[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy {language} entries: {fuzzy[:20]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_catalogue_is_up_to_date(fresh_catalogues, language):
    committed = polib.pofile(
        str(Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po")
    )
    fresh = polib.pofile(str(fresh_catalogues / language / "LC_MESSAGES" / "django.po"))
    committed_ids = {(e.msgctxt, e.msgid) for e in committed if not e.obsolete}
    fresh_ids = {(e.msgctxt, e.msgid) for e in fresh}
    assert fresh_ids == committed_ids, (
        f"run `make messages` and translate: new {sorted(fresh_ids - committed_ids)[:10]}, "
        f"stale {sorted(committed_ids - fresh_ids)[:10]}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_survive_translation(language):
    catalogue = polib.pofile(
        str(Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po")
    )
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|\{\{ *\w+ *\}\}|\{\w+\}")
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            continue
        assert sorted(pattern.findall(entry.msgid)) == sorted(pattern.findall(entry.msgstr)), (
            entry.msgid
        )
