"""Data versions: a token in the shared cache that changes whenever some public data change,
used in the keys of cached pages, facets and map data, so a cached answer is never older than
the last change. Signals call `changed()`; a reader calls `get()`."""

import hashlib
import uuid
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save


def _version_seconds() -> int:
    # With a shared cache (Redis) every change renews the token in it: kept a day. With a
    # cache of each process's own, a token must expire for a process to see the others' changes.
    shared = "locmem" not in settings.CACHES["default"]["BACKEND"].lower()
    return 24 * 3600 if shared else 300


VERSION_SECONDS = _version_seconds()
# Every data version made, by cache key: a page that shows a bit of everything is keyed on all.
VERSIONS: dict[str, "DataVersion"] = {}


class DataVersion:
    def __init__(self, key: str, fallback: Callable[[], str], seconds: int = VERSION_SECONDS):
        """`fallback` gives a version from the data themselves (one cheap aggregate) when the
        cache has lost the token. The token expires (VERSION_SECONDS) so that a process with a
        private cache (no Redis) catches up with the others within minutes."""
        self.key = key
        self.fallback = fallback
        self.seconds = seconds
        VERSIONS[key] = self

    def get(self) -> str:
        version = cache.get(self.key)
        if version is None:
            version = self.fallback()
            cache.add(self.key, version, self.seconds)
        return version

    def _renew(self) -> None:
        cache.set(self.key, uuid.uuid4().hex, self.seconds)

    def changed(self) -> None:
        """A new version now, and again once the transaction commits: a reader between the two
        may have cached what it saw under the first, and the second retires it. Many changes
        in one transaction renew it once on commit."""
        self._renew()
        connection = transaction.get_connection()
        if connection.in_atomic_block and any(
            getattr(callback, "__self__", None) is self and callback.__func__ is DataVersion._renew
            for _savepoints, callback, _robust in connection.run_on_commit
        ):
            return
        transaction.on_commit(self._renew)


def _new_token() -> str:
    return uuid.uuid4().hex


# What public pages show of the apps without a data version of their own (initiatives and
# library keep theirs, with their own rules): any change of these models renews the app's.
# Private bookkeeping (sessions, audit, notifications, answers, reviews…) is left out, so
# that it does not empty the cache of public pages.
SHOWN_MODELS = {
    "core": ["RegionalSection", "Axis", "PolicyArea", "Goal", "Target"],
    "calls": ["Call"],
    "events": ["Event", "Session", "Speaker", "Registration", "Idea"],
    "monitoring": ["Deliverable", "Indicator", "Measurement", "MonitoringPlan", "ProgressReport"],
    "network": ["Relation", "Connection", "ExchangeItem"],
    "exchange": ["Thread"],
    "surveys": ["Survey"],
    "workplan": ["WorkPlan", "Pillar", "Section", "Action", "ActionUpdate"],
}
APP_VERSIONS = {label: DataVersion(f"{label}:shown_version", _new_token) for label in SHOWN_MODELS}


def watch_shown_models() -> None:
    """Renew an app's version on any save or deletion of a model it shows, and any change of
    their many-to-many links. Called once the models are loaded (core's AppConfig.ready)."""
    for label, names in SHOWN_MODELS.items():
        version = APP_VERSIONS[label]

        def renew(sender, raw=False, action=None, version=version, **kwargs):
            if raw or (action is not None and not action.startswith("post_")):
                return
            version.changed()

        for name in names:
            model = apps.get_model(label, name)
            uid = f"shown.{label}.{name}"
            post_save.connect(renew, sender=model, dispatch_uid=f"{uid}.s", weak=False)
            post_delete.connect(renew, sender=model, dispatch_uid=f"{uid}.d", weak=False)
            for field in model._meta.many_to_many:
                m2m_changed.connect(
                    renew,
                    sender=field.remote_field.through,
                    dispatch_uid=f"{uid}.{field.name}",
                    weak=False,
                )


def public_version() -> str:
    """One token for every data version: the key of pages that show a bit of everything (home,
    HUB, SDG and event pages). One read of the cache for all of them."""
    found = cache.get_many(list(VERSIONS))
    tokens = [found.get(key) or version.get() for key, version in sorted(VERSIONS.items())]
    return hashlib.sha256("|".join(tokens).encode()).hexdigest()[:32]
