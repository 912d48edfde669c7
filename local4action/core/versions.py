"""Data versions: a token in the shared cache that changes whenever some public data change,
used in the keys of cached pages, facets and map data, so a cached answer is never older than
the last change. Signals call `changed()`; a reader calls `get()`."""

import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

VERSION_SECONDS = 300


class DataVersion:
    def __init__(self, key: str, fallback: Callable[[], str], seconds: int = VERSION_SECONDS):
        """`fallback` gives a version from the data themselves (one cheap aggregate) when the
        cache has lost the token. The token expires so that a process with a private cache
        (no Redis) catches up with the others within minutes."""
        self.key = key
        self.fallback = fallback
        self.seconds = seconds

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
