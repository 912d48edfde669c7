"""Upgrading a release's database: the demo data of the previous release, loaded into an
empty database at that release's migrations, is migrated to the current code and nothing is
lost, every row is still valid, and the pages show it.

releases/<version>/ holds, for each release, the migrations it ended at and its demo data
(`manage.py seed_demo`, then `manage.py dumpdata --exclude sessions --exclude admin.logentry`,
compressed with xz); see docs/operations.md, "Making a release".
"""

import json
import lzma
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import caches
from django.core.management import call_command
from django.core.serializers import base
from django.core.serializers.python import Deserializer
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from .test_migrations import empty_database

RELEASES = Path(__file__).parent / "releases"
PREVIOUS = "0.1"


class HistoricalDeserializer(Deserializer):
    """Django's deserializer, reading models as they were at the release's migrations."""

    def __init__(self, object_list, *, state_apps, **options):
        super().__init__(object_list, **options)
        self.state_apps = state_apps

    def _get_model_from_node(self, model_identifier):
        try:
            return self.state_apps.get_model(model_identifier)
        except LookupError as error:
            raise base.DeserializationError(
                f"Invalid model identifier: {model_identifier}"
            ) from error


def release(version: str) -> tuple[list[tuple[str, str]], list[dict]]:
    folder = RELEASES / version
    migrations = json.loads((folder / "migrations.json").read_text())["migrations"]
    with lzma.open(folder / "demo.json.xz", "rt", encoding="utf-8") as file:
        return [tuple(node) for node in migrations], json.load(file)


def load_release(alias: str, version: str) -> dict[str, int]:
    """An empty database brought to the release's migrations and filled with its demo data, as
    that release would have left it. Returns the rows per model."""
    targets, rows = release(version)
    executor = MigrationExecutor(connections[alias])
    executor.migrate(targets)
    state_apps = executor.loader.project_state(targets, at_end=True).apps
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["model"]] = counts.get(row["model"], 0) + 1
    connection = connections[alias]
    with transaction.atomic(using=alias), connection.constraint_checks_disabled():
        # Saved by primary key: the reference data its migrations wrote is updated to the
        # release's rows (as staff had edited it), the rest inserted.
        for item in HistoricalDeserializer(rows, state_apps=state_apps, using=alias):
            item.save(using=alias)
    connection.check_constraints()
    return counts


def _own_fields_but_relations(model) -> list[str]:
    # Relations are checked by the database's foreign keys (check_constraints above and the
    # constraints themselves); checking them here would cost a query per row and relation.
    return [field.name for field in model._meta.concrete_fields if field.is_relation]


@pytest.mark.django_db
def test_the_previous_releases_demo_data_upgrades_without_loss(tmp_path, client):
    with empty_database(tmp_path, "upgrade") as alias:
        # given a database as the previous release left it, with its demo data
        before = load_release(alias, PREVIOUS)

        # when it is migrated to the current code
        call_command("migrate", database=alias, verbosity=0)

        # then nothing is missing: every row of every model that still exists is there
        executor = MigrationExecutor(connections[alias])
        assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
        for label, count in before.items():
            model = apps.get_model(label)
            assert model.objects.using(alias).count() == count, label

        # and every row is valid for today's models (choices, lengths, required fields)
        for model in apps.get_models():
            if not model._meta.managed or model._meta.proxy:
                continue
            for instance in model._default_manager.using(alias).all():
                instance.full_clean(
                    exclude=_own_fields_but_relations(model),
                    validate_unique=False,
                    validate_constraints=False,
                )

        # and the pages read the upgraded data
        _assert_pages_show_the_upgraded_data(client, alias)


def _assert_pages_show_the_upgraded_data(client, alias: str):
    from local4action.events.models import Event
    from local4action.initiatives.choices import InitiativeStatus
    from local4action.initiatives.models import Initiative

    hub = (
        Initiative.objects.using(alias)
        .filter(status=InitiativeStatus.LABELLED)
        .order_by("pk")
        .first()
    )
    event = Event.objects.using(alias).filter(visibility="public", published=True).first()
    assert hub is not None and event is not None
    default = connections[DEFAULT_DB_ALIAS]
    # The upgraded database stands in for the default one while the pages are read; the cached
    # pages of other tests must not answer for it.
    connections[DEFAULT_DB_ALIAS] = connections[alias]
    try:
        caches["default"].clear()
        for url, text in (
            (reverse("portal:home"), None),
            (hub.get_absolute_url(), hub.title),
            (event.get_absolute_url(), event.title),
            (reverse("initiatives:list"), hub.title),
        ):
            response = client.get(url, follow=True)
            assert response.status_code == 200, url
            if text:
                assert text in response.content.decode(), url
    finally:
        connections[DEFAULT_DB_ALIAS] = default
        caches["default"].clear()


def test_each_release_names_migrations_that_exist():
    """A release's migrations must stay in the code: squashing or renaming one would strand
    the databases of that release."""
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    for folder in sorted(RELEASES.iterdir()):
        targets, _rows = release(folder.name)
        assert all(node in graph.nodes for node in targets), folder.name
