"""Background work of the work plan: the daily reminder to owners of actions left without
update."""

from django_tasks import task

from .services import remind_stale_owners


@task()
def remind_workplan_owners(days: int = 90) -> int:
    """Remind owners of open actions with no update for `days`. Safe to run (or retry) as often
    as wanted: each action is reminded at most once per `days`."""
    return remind_stale_owners(days=days)
