"""What every benchmark shares: an empty database of its own, and the database's name."""

import os
import subprocess
import sys
import warnings
from pathlib import Path
from urllib.parse import unquote, urlparse


def _postgres(url: str) -> tuple[str, list[str], dict] | None:
    """(name, connection options, environment) for createdb/dropdb, or None for SQLite."""
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        return None
    name = unquote(parsed.path.lstrip("/"))
    env = {**os.environ, "PGPASSWORD": unquote(parsed.password or "")}
    options = ["-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432)]
    if parsed.username:
        options += ["-U", unquote(parsed.username)]
    return name, options, env


def fresh_database(default_sqlite: Path) -> str:
    """Point DATABASE_URL at an empty database and say which."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        url = f"sqlite:///{default_sqlite}"
    parsed = urlparse(url)
    postgres = _postgres(url)
    if postgres:
        name, options, env = postgres
        if "bench" not in name:
            sys.exit(f"Refusing to drop the database {name!r}: use one whose name has 'bench'.")
        subprocess.run(["dropdb", "--if-exists", *options, name], check=True, env=env)
        subprocess.run(["createdb", *options, name], check=True, env=env)
    elif parsed.scheme == "sqlite":
        path = Path(unquote(parsed.path))
        if "bench" not in path.name:
            sys.exit(f"Refusing to delete {path}: use a file whose name has 'bench'.")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        sys.exit(f"Unsupported DATABASE_URL scheme: {parsed.scheme}")
    os.environ["DATABASE_URL"] = url
    return url


def bench_database(default_sqlite: Path, reuse: bool) -> str:
    """The benchmark's database: kept as a previous run left it (`reuse`, its name must
    still say 'bench') or made empty (fresh_database)."""
    if not reuse:
        return fresh_database(default_sqlite)
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{default_sqlite}"
    if "bench" not in urlparse(url).path:
        sys.exit("Refusing a database whose name does not contain 'bench'.")
    postgres = _postgres(url)
    if postgres:  # made on the first run (createdb refuses, harmlessly, when it exists)
        name, options, env = postgres
        subprocess.run(["createdb", *options, name], env=env, capture_output=True, check=False)
    os.environ["DATABASE_URL"] = url
    return url


def django_setup() -> None:
    """Start Django on the project's settings, with the static manifest off (no collectstatic
    needed for in-process requests)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DJANGO_SETTINGS_MODULE"] = "local4action.settings"
    os.environ.setdefault("STATIC_MANIFEST", "0")
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, no collectstatic
    import django

    django.setup()


def database_version(connection) -> str:
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        return f"PostgreSQL {major}.{minor}"
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    return connection.vendor
