"""Settings come from the environment; production settings pass Django's deploy check."""

import json
import os
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-0123456789",
    "ALLOWED_HOSTS": "hubs.example.org",
    "HTTPS": "1",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@mail.example.org:587",
}


def _run(*args, env=None):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
    )


def _settings_seen(env):
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'db': s.DATABASES['default']['ENGINE'], 'cache': s.CACHES['default']['BACKEND'],"
        "'tasks': s.TASKS['default']['BACKEND'], 'email': s.EMAIL_BACKEND,"
        "'sessions': s.SESSION_ENGINE, 'debug': s.DEBUG}))"
    )
    result = _run("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_laptop_defaults_need_no_service():
    seen = _settings_seen({})
    assert seen["db"] == "django.db.backends.sqlite3"
    assert seen["cache"].endswith("LocMemCache")
    assert seen["tasks"].endswith("ImmediateBackend")
    assert seen["email"].endswith("console.EmailBackend")
    assert seen["debug"] is False


def test_production_variables_switch_to_production_parts():
    seen = _settings_seen(PRODUCTION)
    assert seen["db"] == "django.db.backends.postgresql"
    assert seen["cache"].endswith("RedisCache")
    assert seen["tasks"] == "django_tasks_rq.RQBackend"
    assert seen["email"].endswith("smtp.EmailBackend")
    assert seen["sessions"].endswith("cached_db")


def test_deploy_check_is_clean_with_production_settings():
    result = _run("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_rejects_the_development_key():
    env = {**PRODUCTION}
    del env["SECRET_KEY"]
    result = _run("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr
