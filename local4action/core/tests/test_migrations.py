"""Migrations: none missing, and they run on an empty database, down to zero and up again.
(Upgrading the previous release's demo data: test_release_upgrade.py.)"""

import uuid
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.creation import TEST_DATABASE_PREFIX
from django.db.migrations.executor import MigrationExecutor


@contextmanager
def empty_database(tmp_path, purpose: str):
    """A new, empty database of the configured kind under a connection alias of its own,
    dropped afterwards. On PostgreSQL it is named after the configured database (helper →
    helper_<purpose>_<random>), so that it stays among the names the test run may use."""
    base = connections[DEFAULT_DB_ALIAS]
    alias = f"{purpose}_{uuid.uuid4().hex[:8]}"
    settings_dict = {**base.settings_dict}
    postgres = base.vendor == "postgresql"
    if postgres:
        prefix = base.settings_dict["NAME"].removeprefix(TEST_DATABASE_PREFIX)
        settings_dict["NAME"] = f"{prefix}_{alias}"
        with base._nodb_cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {base.ops.quote_name(settings_dict['NAME'])}")
    else:
        settings_dict["NAME"] = str(tmp_path / f"{alias}.sqlite3")
    # Set as a connection, not added to settings: Django's test cases let a test use such a
    # connection that they did not know of when they started.
    connections[alias] = base.__class__(settings_dict, alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        if postgres:
            with base._nodb_cursor() as cursor:
                name = base.ops.quote_name(settings_dict["NAME"])
                cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def model_tables() -> set[str]:
    return {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def table_names(alias: str) -> set[str]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration(capsys):
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=1)
    except SystemExit:
        pytest.fail("Models changed without a migration:\n" + capsys.readouterr().out)


@pytest.mark.django_db
def test_migrations_run_on_an_empty_database_down_to_zero_and_up_again(tmp_path):
    from local4action.core.models import Goal

    with empty_database(tmp_path, "migrate") as alias:
        call_command("migrate", database=alias, verbosity=0)
        assert model_tables() <= table_names(alias)
        # The reference data goes into the database being migrated.
        assert Goal.objects.using(alias).count() == 17

        # Every app to zero at once: each migration's backward step runs once.
        executor = MigrationExecutor(connections[alias])
        executor.migrate([(app, None) for app in executor.loader.migrated_apps])
        assert table_names(alias) <= {"django_migrations"}

        call_command("migrate", database=alias, verbosity=0)
        assert model_tables() <= table_names(alias)
        executor = MigrationExecutor(connections[alias])
        assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
