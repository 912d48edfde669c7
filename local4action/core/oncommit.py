"""Work done once after the current transaction commits, for everything the transaction
touched: several changes of one initiative, or of several, make one call."""

from collections.abc import Callable

from django.db import transaction


class _Batch:
    def __init__(self, run: Callable[[list], None]):
        self.run = run
        self.items: set = set()
        self.done = False

    def __call__(self):
        self.done = True
        self.run(sorted(self.items))


def once_on_commit(run: Callable[[list], None], item) -> None:
    """Call `run(items)` after the current transaction commits (at once outside one), with
    every item given for the same `run` during the transaction, sorted."""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        for _savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, _Batch) and callback.run is run and not callback.done:
                callback.items.add(item)
                return
    batch = _Batch(run)
    batch.items.add(item)
    transaction.on_commit(batch, robust=True)
