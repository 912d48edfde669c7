"""Options shared by the daily commands."""

import datetime

from django.core.management.base import CommandError


def day_option(options: dict, name: str = "date") -> datetime.date | None:
    """The day given as --<name> YYYY-MM-DD (to test or to catch up), or None for today."""
    value = options.get(name)
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--{name} must be YYYY-MM-DD, not {value!r}.") from error
