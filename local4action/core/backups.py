"""Backups of the whole platform: the database and the uploaded files in one archive.

An archive (`.tar.gz`) holds, in this order:

    database/db.sqlite3 or database/db.pgdump   the database, dumped by its own tool
    media/…                                     public uploads (MEDIA_ROOT)
    private-media/…                             private uploads (PRIVATE_MEDIA_ROOT)
    manifest.json                               what the archive holds, with checksums

The dump is consistent while the site runs: on SQLite the online backup API copies the
database as of one moment; on PostgreSQL `pg_dump` runs in a snapshot that the row counts and
migrations of the manifest are read from too. Files are streamed, never read whole.

A restore checks the whole archive against its manifest before it changes anything, refuses a
database or folder that already holds data (unless forced), replaces the database, writes the
files back, then counts the rows again and compares them with the manifest.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

FORMAT = 1
MANIFEST = "manifest.json"
DUMP_NAMES = {"sqlite": "database/db.sqlite3", "postgresql": "database/db.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1024 * 1024
# Tables that `migrate` fills on an empty database (reference data, permissions, role groups):
# a freshly migrated database still counts as empty. test_backups pins this list.
FILLED_BY_MIGRATE = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "auth_group",
        "auth_group_permissions",
        "core_goal",
        "core_target",
        "core_indicator",
        "core_axis",
        "core_policyarea",
        "core_regionalsection",
    }
)


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass
class BackupResult:
    path: Path
    size: int
    manifest: dict


@dataclass
class RestoreResult:
    manifest: dict
    rows: dict[str, int]
    files: dict[str, int]
    # Migrations that this code has and the restored database has not applied yet.
    unapplied_migrations: list[str] = field(default_factory=list)
    # What the operator still has to do by hand.
    notes: list[str] = field(default_factory=list)


def default_name(now: datetime.datetime | None = None) -> str:
    now = now or datetime.datetime.now(datetime.UTC)
    return f"local4action-backup-{now:%Y%m%dT%H%M%SZ}.tar.gz"


def file_roots() -> dict[str, Path]:
    """The folders of uploads, by their name in the archive."""
    return {
        "media": Path(settings.MEDIA_ROOT),
        "private-media": Path(settings.PRIVATE_MEDIA_ROOT),
    }


# Creating a backup ---------------------------------------------------------------------------


def backup_create(*, path: str | os.PathLike, using: str = DEFAULT_DB_ALIAS) -> BackupResult:
    """Write an archive of the database and of the uploaded files. `path` is the archive, or a
    folder to write it in under its default name. The archive is written under a temporary
    name and renamed once complete, readable by its owner only (it holds private files and
    password hashes)."""
    target = Path(path)
    if target.is_dir():
        target = target / default_name()
    if target.exists():
        raise BackupError(f"{target} already exists: choose another name.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"Backups of a {vendor} database are not supported.")

    created_at = datetime.datetime.now(datetime.UTC)
    partial = target.with_name(f".{target.name}.partial")
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=target.parent) as work:
        dump = Path(work) / PurePosixPath(DUMP_NAMES[vendor]).name
        if vendor == "sqlite":
            database = _sqlite_dump(connection.settings_dict, dump)
        else:
            database = _postgresql_dump(connection, dump)
        manifest = {
            "format": FORMAT,
            "created_at": created_at.isoformat().replace("+00:00", "Z"),
            "database": {**database["about"], "vendor": vendor, "dump": DUMP_NAMES[vendor]},
            "migrations": database["migrations"],
            "row_counts": database["row_counts"],
            "files": {},
            "members": {},
        }
        try:
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                manifest["members"][DUMP_NAMES[vendor]] = _add_file(tar, DUMP_NAMES[vendor], dump)
                dump.unlink()
                for prefix, root in file_roots().items():
                    count = 0
                    for file, relative in _files_under(root):
                        name = f"{prefix}/{relative}"
                        try:
                            manifest["members"][name] = _add_file(tar, name, file)
                        except FileNotFoundError:
                            continue  # deleted by the site since the folder was listed
                        count += 1
                    manifest["files"][prefix] = count
                data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(created_at.timestamp())
                info.mode = 0o600
                tar.addfile(info, io.BytesIO(data))
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return BackupResult(path=target, size=target.stat().st_size, manifest=manifest)


def _model_tables() -> dict[str, str]:
    """Each concrete model's table (many-to-many tables included), by model label."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables[model._meta.label_lower] = model._meta.db_table
    return dict(sorted(tables.items()))


def _read_state(cursor, existing: set[str], quote) -> dict:
    """Latest applied migration of each app and row counts of each model, read through a
    DB-API cursor (the dump's own SQLite copy, or PostgreSQL inside the dump's snapshot)."""
    migrations: dict[str, str] = {}
    if "django_migrations" in existing:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        for app, name in cursor.fetchall():
            migrations[app] = name
    row_counts = {}
    for label, table in _model_tables().items():
        if table in existing:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            row_counts[label] = {"table": table, "rows": cursor.fetchone()[0]}
    return {"migrations": dict(sorted(migrations.items())), "row_counts": row_counts}


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_path(settings_dict) -> str:
    name = str(settings_dict["NAME"])
    if not name or name == ":memory:" or "mode=memory" in name:
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return name


def _sqlite_dump(settings_dict, dump: Path) -> dict:
    """Copy the database with SQLite's online backup API: a consistent copy even while the
    site writes to it. The copy is then read for the manifest."""
    source_path = _sqlite_path(settings_dict)
    if not Path(source_path).exists():
        raise BackupError(f"The SQLite database {source_path} does not exist.")
    source = sqlite3.connect(source_path, timeout=60)
    copy = sqlite3.connect(dump)
    try:
        source.backup(copy)
        # One self-contained file, whatever the journal mode of the live database.
        copy.execute("PRAGMA journal_mode=DELETE")
        existing = {
            row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        state = _read_state(copy.cursor(), existing, _sqlite_quote)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not copy the database: {error}") from error
    finally:
        copy.close()
        source.close()
    return {**state, "about": {"server_version": sqlite3.sqlite_version, "tool": "sqlite3"}}


def _postgresql_dump(connection, dump: Path) -> dict:
    """pg_dump in the custom format, inside a snapshot exported from our own transaction:
    the counts and migrations of the manifest are those of the dump, exactly."""
    server_major = connection.pg_version // 10000
    pg_dump = _pg_tool("pg_dump", server_major)
    client_major = _tool_major(pg_dump)
    if client_major < server_major:
        raise BackupError(
            f"pg_dump {client_major} cannot dump a PostgreSQL {server_major} server: install "
            f"the PostgreSQL {server_major} client tools (postgresql-client-{server_major})."
        )
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        existing = set(connection.introspection.table_names(cursor))
        state = _read_state(cursor, existing, connection.ops.quote_name)
        _run_pg(
            connection.settings_dict,
            pg_dump,
            ["--format=custom", f"--file={dump}", f"--snapshot={snapshot}"],
        )
    return {
        **state,
        "about": {
            "server_version": _pg_version_text(connection.pg_version),
            "tool": _tool_version(pg_dump),
        },
    }


class _HashingReader:
    """A file read by tarfile, hashed on the way."""

    def __init__(self, file: BinaryIO):
        self.file = file
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.sha256.update(data)
        return data


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> dict:
    with open(path, "rb") as file:
        stat = os.fstat(file.fileno())
        info = tarfile.TarInfo(name)
        info.size = stat.st_size
        info.mtime = int(stat.st_mtime)
        info.mode = stat.st_mode & 0o777
        reader = _HashingReader(file)
        tar.addfile(info, reader)
    return {"size": info.size, "sha256": reader.sha256.hexdigest()}


def _files_under(root: Path):
    """Regular files under a folder, in a stable order, with their path relative to it.
    Links are not followed: an upload is always a regular file."""
    if not root.is_dir():
        return
    for folder, folders, files in os.walk(root):
        folders.sort()
        for name in sorted(files):
            file = Path(folder) / name
            if file.is_file() and not file.is_symlink():
                yield file, file.relative_to(root).as_posix()


# Restoring -----------------------------------------------------------------------------------


def backup_read_manifest(*, path: str | os.PathLike) -> dict:
    """Read the whole archive and check every member against the manifest's checksums; the
    manifest when all agree. Nothing is written."""
    archive = Path(path)
    if not archive.is_file():
        raise BackupError(f"{archive} is not a file.")
    found: dict[str, dict] = {}
    manifest_data = None
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                _check_member(member)
                if member.isdir():
                    continue
                source = tar.extractfile(member)
                if member.name == MANIFEST:
                    manifest_data = source.read()
                    continue
                digest = hashlib.sha256()
                size = 0
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                found[member.name] = {"size": size, "sha256": digest.hexdigest()}
            # tarfile stops quietly at a damaged header: read to the end of the compressed
            # stream, whose length and checksum gzip then checks.
            while tar.fileobj.read(CHUNK):
                pass
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise _damaged(archive, error) from error
    if manifest_data is None:
        raise BackupError(f"{archive} has no manifest: it is not a complete backup archive.")
    try:
        manifest = json.loads(manifest_data)
        members = manifest["members"]
        vendor = manifest["database"]["vendor"]
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"The manifest of {archive} cannot be read ({error}).") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{archive} is in backup format {manifest.get('format')}; this version of the "
            f"platform reads format {FORMAT}."
        )
    missing = sorted(set(members) - set(found))
    unexpected = sorted(set(found) - set(members))
    altered = sorted(name for name in members if name in found and found[name] != members[name])
    if missing or unexpected or altered:
        problems = [
            f"{label}: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}"
            for label, names in (
                ("missing", missing),
                ("not in the manifest", unexpected),
                ("checksum differs", altered),
            )
            if names
        ]
        raise BackupError(
            f"{archive} does not match its manifest ({'; '.join(problems)}): nothing was restored."
        )
    if vendor not in DUMP_NAMES or DUMP_NAMES[vendor] not in members:
        raise BackupError(f"{archive} holds no database dump that this version can restore.")
    strays = [
        name
        for name in members
        if name != DUMP_NAMES[vendor] and name.partition("/")[0] not in file_roots()
    ]
    if strays:
        raise BackupError(f"Unexpected members in {archive}: {', '.join(strays[:5])}.")
    return manifest


def backup_restore(
    *, path: str | os.PathLike, force: bool = False, using: str = DEFAULT_DB_ALIAS
) -> RestoreResult:
    """Restore an archive into the configured database and upload folders. The archive is
    checked whole first; a database of the other vendor, a backup made by a newer version of
    the platform, and a target that already holds data (unless `force`) are refused before
    anything changes. Stop the site and its workers first: the database is replaced."""
    archive = Path(path)
    manifest = backup_read_manifest(path=archive)
    connection = connections[using]
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"This backup was made from a {VENDOR_NAMES.get(vendor, vendor)} database and the "
            f"configured database is {VENDOR_NAMES.get(connection.vendor, connection.vendor)}: "
            f"a backup can only be restored into a database of the same kind. Point "
            f"DATABASE_URL at a {VENDOR_NAMES.get(vendor, vendor)} database to restore it."
        )
    unknown = _unknown_migrations(manifest["migrations"])
    if unknown and not force:
        raise BackupError(
            "This backup was made by a newer version of the platform (migrations unknown "
            f"here: {', '.join(unknown)}). Install that version to restore it, or use --force."
        )
    if not force:
        holding = _target_holdings(connection)
        if holding:
            raise BackupError(
                f"The target already holds data ({'; '.join(holding)}): nothing was restored. "
                "Restore into an empty database and empty upload folders, or use --force to "
                "replace what is there."
            )
    pg_tools = None
    if vendor == "postgresql":
        pg_tools = _pg_restore_tools(connection, manifest)

    roots = file_roots()
    written = dict.fromkeys(roots, 0)
    with tempfile.TemporaryDirectory(prefix="local4action-restore-") as work:
        try:
            with tarfile.open(archive, mode="r:gz") as tar:
                for member in tar:
                    _check_member(member)
                    if member.isdir() or member.name == MANIFEST:
                        continue
                    expected = manifest["members"][member.name]
                    source = tar.extractfile(member)
                    if member.name == manifest["database"]["dump"]:
                        dump = Path(work) / PurePosixPath(member.name).name
                        _write_checked(source, dump, expected, member.name)
                        connection.close()
                        if vendor == "sqlite":
                            _sqlite_restore(connection.settings_dict, dump)
                        else:
                            _postgresql_restore(connection.settings_dict, dump, *pg_tools)
                        dump.unlink()
                        # Files are replaced only once the database is.
                        for root in roots.values():
                            _empty_folder(root)
                        continue
                    prefix, _, relative = member.name.partition("/")
                    _write_checked(source, roots[prefix] / relative, expected, member.name)
                    written[prefix] += 1
        except (tarfile.TarError, EOFError, zlib.error) as error:
            raise _damaged(archive, error) from error

    rows = _count_rows(connection, manifest["row_counts"])
    differences = [
        f"{label}: {rows.get(label)} rows, {entry['rows']} in the backup"
        for label, entry in manifest["row_counts"].items()
        if rows.get(label) != entry["rows"]
    ]
    differences += [
        f"{prefix}: {written[prefix]} files, {count} in the backup"
        for prefix, count in manifest["files"].items()
        if written.get(prefix) != count
    ]
    if differences:
        raise BackupError(
            "The restore finished but does not match the backup: " + "; ".join(differences)
        )
    return RestoreResult(
        manifest=manifest,
        rows=rows,
        files=written,
        unapplied_migrations=_unapplied_migrations(connection),
        notes=_retire_cached_pages(),
    )


def _retire_cached_pages() -> list[str]:
    """Cached pages and answers are keyed on data versions (core.versions) that a shared cache
    keeps for a day: forget them, so that nothing from before the restore is served."""
    from django.urls import get_resolver

    from local4action.core.versions import VERSIONS

    # Loading the URLconf imports every module a page uses, and so defines every data version.
    get_resolver().url_patterns  # noqa: B018
    try:
        cache.delete_many(list(VERSIONS))
    except Exception as error:  # a cache server that cannot be reached: say so, do not fail
        return [f"The cache could not be reached ({error}): clear it before starting the site."]
    return []


def _damaged(archive: Path, error: Exception) -> BackupError:
    return BackupError(
        f"{archive} is damaged or incomplete ({error or type(error).__name__}): "
        "nothing was restored."
    )


MEMBER_NAME = re.compile(r"^(media|private-media|database)/")


def _check_member(member: tarfile.TarInfo) -> None:
    """Only regular files and folders, named under our prefixes, without a way out of them."""
    path = PurePosixPath(member.name)
    safe = (
        not path.is_absolute()
        and ".." not in path.parts
        and (member.isfile() or member.isdir())
        and (member.name == MANIFEST or MEMBER_NAME.match(member.name) or member.isdir())
    )
    if not safe:
        raise BackupError(f"Unexpected member in the archive: {member.name!r}.")


def _write_checked(source: BinaryIO, target: Path, expected: dict, name: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with open(target, "wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != expected["sha256"]:
        raise BackupError(f"{name} changed while it was read from the archive.")


def _empty_folder(root: Path) -> None:
    if not root.exists():
        root.mkdir(parents=True)
        return
    # The folder itself stays: it may be a mount point.
    for child in root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def _target_holdings(connection) -> list[str]:
    """What the target database and upload folders already hold, beyond what `migrate` puts
    in an empty database."""
    holdings = []
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        quote = connection.ops.quote_name
        for table in sorted(set(tables) - FILLED_BY_MIGRATE):
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")
            if cursor.fetchone():
                holdings.append(f"rows in {table}")
    if len(holdings) > 5:
        holdings = [*holdings[:5], f"and {len(holdings) - 5} more tables"]
    for root in file_roots().values():
        if next(_files_under(root), None):
            holdings.append(f"files in {root}")
    return holdings


def _count_rows(connection, row_counts: dict) -> dict[str, int | None]:
    counts: dict[str, int | None] = {}
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for label, entry in row_counts.items():
            if entry["table"] in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(entry['table'])}")
                counts[label] = cursor.fetchone()[0]
            else:
                counts[label] = None
    return counts


def _unknown_migrations(migrations: dict[str, str]) -> list[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations) | {
        replaced for key in loader.replacements for replaced in loader.replacements[key].replaces
    }
    return [f"{app}.{name}" for app, name in migrations.items() if (app, name) not in known]


def _unapplied_migrations(connection) -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _sqlite_restore(settings_dict, dump: Path) -> None:
    """Copy the dump into the configured database with the backup API: one transaction on
    the target, so a failure leaves it as it was."""
    target_path = _sqlite_path(settings_dict)
    Path(target_path).parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(dump)
    target = sqlite3.connect(target_path, timeout=60)
    try:
        source.backup(target)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not restore the database: {error}") from error
    finally:
        target.close()
        source.close()


# PostgreSQL tools ----------------------------------------------------------------------------

# Run before the dump's SQL, in the same transaction: the target's tables go, including those
# a newer schema added, so that `migrate` can bring the restored database up to date. A lock
# held by a running site makes the restore fail instead of waiting for ever.
PG_PRELUDE = """
SET lock_timeout = '30s';
SET client_min_messages = warning;
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I.%I CASCADE', current_schema(), r.tablename);
  END LOOP;
END $$;
"""


def _pg_tool(name: str, server_major: int) -> str:
    """The tool of the server's major version where Debian installs several, else the one on
    the PATH."""
    versioned = Path(f"/usr/lib/postgresql/{server_major}/bin/{name}")
    if versioned.exists():
        return str(versioned)
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client tools "
            f"(postgresql-client-{server_major})."
        )
    return found


def _tool_version(tool: str) -> str:
    try:
        result = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        raise BackupError(f"{tool} cannot be run: {error}") from error
    return result.stdout.strip()


def _tool_major(tool: str) -> int:
    match = re.search(r"(\d+)(?:\.\d+)?", _tool_version(tool))
    if not match:
        raise BackupError(f"The version of {tool} cannot be read.")
    return int(match.group(1))


def _pg_version_text(number: int) -> str:
    return f"{number // 10000}.{number % 10000}"


def _pg_command(settings_dict, tool: str, parameters: list[str]) -> tuple[list[str], dict]:
    """Connection options from settings, as `manage.py dbshell` passes them: no shell, the
    password in the environment."""
    from django.db.backends.postgresql.client import DatabaseClient

    args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, parameters)
    return [tool, *args[1:]], {**os.environ, **(env or {})}


def _run_pg(settings_dict, tool: str, parameters: list[str], **options) -> None:
    args, env = _pg_command(settings_dict, tool, parameters)
    result = subprocess.run(args, env=env, capture_output=True, text=True, **options)
    if result.returncode:
        raise BackupError(f"{Path(tool).name} failed: {result.stderr.strip()}")


def _pg_restore_tools(connection, manifest: dict) -> tuple[str, str]:
    """pg_restore and psql, recent enough to read the dump and to talk to the server."""
    connection.ensure_connection()
    server_major = connection.pg_version // 10000
    pg_restore = _pg_tool("pg_restore", server_major)
    psql = _pg_tool("psql", server_major)
    client_major = _tool_major(pg_restore)
    match = re.search(r"(\d+)", manifest["database"].get("tool", ""))
    dump_major = int(match.group(1)) if match else 0
    if client_major < dump_major:
        raise BackupError(
            f"The dump was made by pg_dump {dump_major}; pg_restore {client_major} cannot read "
            f"it: install postgresql-client-{dump_major}."
        )
    return pg_restore, psql


def _postgresql_restore(settings_dict, dump: Path, pg_restore: str, psql: str) -> None:
    """pg_restore turns the dump into SQL, whole, before anything changes (a pipe would let
    psql commit the prelude alone if pg_restore failed); psql then runs the prelude and that
    SQL in one transaction: on any error the database is left as it was."""
    script = dump.with_suffix(".sql")
    _run_restore_step(
        [pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges"]
        + [f"--file={script}", str(dump)],
        env=None,
    )
    args, env = _pg_command(
        settings_dict,
        psql,
        ["--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction"]
        + ["--command", PG_PRELUDE, f"--file={script}"],
    )
    try:
        _run_restore_step(args, env=env)
    finally:
        script.unlink(missing_ok=True)


def _run_restore_step(args: list[str], env: dict | None) -> None:
    result = subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if result.returncode:
        errors = result.stderr.decode(errors="replace").strip()
        raise BackupError(
            f"The database could not be restored ({Path(args[0]).name}); it is unchanged.\n{errors}"
        )
