"""Backups: an archive restored into an empty database brings back every row and every file;
a damaged archive, a database of the other kind and a target holding data are refused, and
then nothing changes.

On PostgreSQL too: DATABASE_URL=postgres://postgres@127.0.0.1:5432/helper_backup pytest …
"""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from PIL import Image

from local4action.accounts.models import User
from local4action.accounts.tests.factories import UserFactory
from local4action.calls import services as calls
from local4action.calls.models import Application, Attachment
from local4action.calls.tests.factories import make_call, make_draft
from local4action.core import backups
from local4action.core.backups import BackupError, backup_create, backup_restore
from local4action.core.tests.test_migrations import empty_database, table_names

pytestmark = pytest.mark.django_db(transaction=True)

# Every byte value, so that a restored file is checked byte for byte.
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (11, 83, 148)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def demo(reference_data):
    """People, a call, a complete draft with a private attachment, and its initiative with a
    public image."""
    staff = UserFactory(roles={"secretariat"})
    call = make_call(staff=staff)
    application = make_draft(call)
    editor = application.created_by
    calls.attachment_add(
        actor=editor,
        application=application,
        uploaded=SimpleUploadedFile("budget.pdf", PDF, content_type="application/pdf"),
    )
    initiative = application.initiative
    initiative.image.save("square.png", ContentFile(png_bytes()))
    return application


def move_upload_folders(settings, tmp_path) -> dict[str, Path]:
    """Point the upload folders at empty ones to restore into; the backed-up folders (returned)
    stay as they are."""
    originals = backups.file_roots()
    settings.MEDIA_ROOT = tmp_path / "restored" / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "restored" / "private-media"
    return originals


def row_counts(using="default") -> dict[str, int]:
    return {
        model._meta.label_lower: model._base_manager.using(using).count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def files_of(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def rewrite(source: Path, target: Path, change) -> Path:
    """Copy an archive member by member; `change(name, data, manifest)` returns the member's
    new (name, data), or None to leave it out. The manifest is written last, as changed."""
    members = []
    with tarfile.open(source, "r:gz") as tar:
        for member in tar:
            members.append((member.name, tar.extractfile(member).read()))
    manifest = json.loads(dict(members)["manifest.json"])
    with tarfile.open(target, "w:gz") as tar:
        for name, data in members:
            if name == "manifest.json":
                continue
            changed = change(name, data, manifest)
            if changed:
                info = tarfile.TarInfo(changed[0])
                info.size = len(changed[1])
                tar.addfile(info, io.BytesIO(changed[1]))
        data = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return target


@pytest.fixture
def archive(demo, tmp_path, settings) -> Path:
    """A backup of the demo data; the upload folders then point at empty ones."""
    folder = tmp_path / "backups"
    folder.mkdir()
    path = backup_create(path=folder).path
    move_upload_folders(settings, tmp_path)
    return path


def test_restore_into_an_empty_database_brings_back_everything(demo, tmp_path, settings):
    folder = tmp_path / "backups"
    folder.mkdir()
    expected = row_counts()
    originals = {prefix: files_of(root) for prefix, root in backups.file_roots().items()}

    result = backup_create(path=folder)

    assert result.path.parent == folder
    assert result.path.name.startswith("local4action-backup-")
    assert result.path.stat().st_mode & 0o077 == 0
    manifest = result.manifest
    assert manifest["database"]["vendor"] == connections["default"].vendor
    assert manifest["created_at"].endswith("Z")
    assert manifest["migrations"]["calls"].startswith("0")
    assert manifest["row_counts"]["calls.attachment"]["rows"] == 1
    assert manifest["files"] == {"media": 1, "private-media": 1}
    assert len(originals["media"]) == len(originals["private-media"]) == 1
    with tarfile.open(result.path) as tar:
        assert tar.getnames()[-1] == "manifest.json"

    move_upload_folders(settings, tmp_path)
    with empty_database(tmp_path, "restore") as alias:
        restored = backup_restore(path=result.path, using=alias)

        assert restored.unapplied_migrations == []
        assert row_counts(alias) == expected
        assert sum(expected.values()) > 1000
        application = Application.objects.using(alias).get()
        demo.refresh_from_db()
        assert (application.status, application.answers, application.created_at) == (
            demo.status,
            demo.answers,
            demo.created_at,
        )
        assert application.initiative.title == demo.initiative.title
        assert list(application.initiative.goals.values_list("number", flat=True)) == [11, 16]
        assert set(User.objects.using(alias).values_list("email", flat=True)) == set(
            User.objects.values_list("email", flat=True)
        )
        editor = User.objects.using(alias).get(pk=demo.created_by_id)
        assert editor.check_password("a-long-test-passphrase")
        attachment = Attachment.objects.using(alias).get()
        assert attachment.name == "budget.pdf"
        with attachment.file.open("rb") as file:
            assert file.read() == PDF
        with application.initiative.image.open("rb") as file:
            assert file.read() == png_bytes()
    for prefix, root in backups.file_roots().items():
        assert files_of(root) == originals[prefix]


def test_the_commands_back_up_and_restore(demo, tmp_path, settings):
    output = tmp_path / "nightly.tar.gz"
    out = io.StringIO()

    call_command("backup", output=str(output), stdout=out)
    move_upload_folders(settings, tmp_path)

    assert f"Backup written to {output}" in out.getvalue()
    assert "1 public, 1 private" in out.getvalue()
    cache.set("calls:shown_version", "before the restore")
    with empty_database(tmp_path, "restore") as alias:
        out = io.StringIO()
        call_command("restore", str(output), database=alias, stdout=out)
        # Cached pages are keyed on data versions: none from before the restore is served.
        assert cache.get("calls:shown_version") != "before the restore"
        assert "the same counts as in the backup" in out.getvalue()
        assert "1 public and 1 private files" in out.getvalue()


def test_an_existing_archive_is_not_overwritten(archive):
    before = archive.read_bytes()

    with pytest.raises(BackupError, match="already exists"):
        backup_create(path=archive)

    assert archive.read_bytes() == before


def truncated(archive: Path, target: Path) -> Path:
    target.write_bytes(archive.read_bytes()[: archive.stat().st_size * 2 // 3])
    return target


def byte_changed(archive: Path, target: Path) -> Path:
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


def member_replaced(archive: Path, target: Path) -> Path:
    """A file of the archive replaced by another, the manifest left as it was: only the
    checksums tell."""

    def change(name, data, manifest):
        return (name, b"not the budget" if name.startswith("private-media/") else data)

    return rewrite(archive, target, change)


def manifest_missing(archive: Path, target: Path) -> Path:
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as tar:
        for member in source:
            if member.name != "manifest.json":
                tar.addfile(member, source.extractfile(member))
    return target


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (truncated, "damaged or incomplete"),
        (byte_changed, "damaged or incomplete"),
        (member_replaced, "checksum differs"),
        (manifest_missing, "has no manifest"),
    ],
)
def test_a_damaged_archive_is_refused_and_the_target_is_unchanged(
    archive, tmp_path, damage, message
):
    damaged = damage(archive, tmp_path / "damaged.tar.gz")
    with empty_database(tmp_path, "restore") as alias:
        # The target holds a restored copy, and one more person: even --force changes nothing.
        backup_restore(path=archive, using=alias)
        User.objects.using(alias).create(email="late@example.org", name="Late")
        before = row_counts(alias)
        files_before = {prefix: files_of(root) for prefix, root in backups.file_roots().items()}

        with pytest.raises(BackupError, match=message):
            backup_restore(path=damaged, using=alias, force=True)
        with pytest.raises(CommandError, match=message):
            call_command("restore", str(damaged), database=alias, force=True)

        assert row_counts(alias) == before
        assert User.objects.using(alias).filter(email="late@example.org").exists()
    assert {prefix: files_of(root) for prefix, root in backups.file_roots().items()} == (
        files_before
    )


def test_a_target_holding_data_is_refused_without_force(archive, tmp_path):
    with empty_database(tmp_path, "restore") as alias:
        backup_restore(path=archive, using=alias)
        User.objects.using(alias).filter(email__startswith="person").update(name="Changed")
        before = row_counts(alias)

        with pytest.raises(CommandError, match="already holds data"):
            call_command("restore", str(archive), database=alias)

        assert row_counts(alias) == before
        assert not User.objects.using(alias).exclude(name="Changed").exists()

        backup_restore(path=archive, using=alias, force=True)

        assert not User.objects.using(alias).filter(name="Changed").exists()
        assert row_counts(alias) == row_counts()


def test_files_in_the_upload_folders_count_as_data(archive, tmp_path):
    stray = backups.file_roots()["private-media"] / "old" / "evidence.pdf"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(PDF)
    with empty_database(tmp_path, "restore") as alias:
        with pytest.raises(BackupError, match="files in"):
            backup_restore(path=archive, using=alias)

        assert table_names(alias) == set()
        backup_restore(path=archive, using=alias, force=True)

    assert not stray.exists()


def test_a_freshly_migrated_database_counts_as_empty(archive, tmp_path):
    with empty_database(tmp_path, "restore") as alias:
        call_command("migrate", database=alias, verbosity=0)

        backup_restore(path=archive, using=alias)

        assert row_counts(alias) == row_counts()


def test_a_backup_of_the_other_database_kind_is_refused(archive, tmp_path):
    vendor = connections["default"].vendor
    other = "postgresql" if vendor == "sqlite" else "sqlite"

    def change(name, data, manifest):
        if name == backups.DUMP_NAMES[vendor]:
            manifest["database"].update(vendor=other, dump=backups.DUMP_NAMES[other])
            manifest["members"][backups.DUMP_NAMES[other]] = manifest["members"].pop(name)
            return backups.DUMP_NAMES[other], data
        return name, data

    foreign = rewrite(archive, tmp_path / "foreign.tar.gz", change)
    with empty_database(tmp_path, "restore") as alias:
        with pytest.raises(BackupError, match="only be restored into a database of the same"):
            backup_restore(path=foreign, using=alias, force=True)

        assert table_names(alias) == set()


def test_a_backup_from_a_newer_version_is_refused(archive, tmp_path):
    def change(name, data, manifest):
        manifest["migrations"]["calls"] = "9999_from_the_future"
        return name, data

    newer = rewrite(archive, tmp_path / "newer.tar.gz", change)
    with empty_database(tmp_path, "restore") as alias:
        with pytest.raises(BackupError, match=r"newer version .*calls\.9999_from_the_future"):
            backup_restore(path=newer, using=alias)

        assert table_names(alias) == set()
