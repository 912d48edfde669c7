"""What the exchange space holds about a person."""

from typing import Any

from local4action.core.personal_data import records

from .models import Block, Follow, Post, Preference, Reaction, Report, Thread

MODELS = (
    "exchange.Thread",
    "exchange.Post",
    "exchange.Reaction",
    "exchange.Follow",
    "exchange.Preference",
    "exchange.Report",
    "exchange.Block",
)


def export(user) -> dict[str, Any]:
    return {
        "threads": records(Thread.objects.filter(author=user), exclude=("search_text",)),
        "posts": records(Post.objects.filter(author=user), exclude=("search_text",)),
        "reactions": records(Reaction.objects.filter(user=user)),
        "follows": records(Follow.objects.filter(user=user)),
        "preference": records(Preference.objects.filter(user=user)),
        "reports_made": records(Report.objects.filter(reporter=user)),
        "block": records(Block.objects.filter(user=user), exclude=("blocked_by",)),
    }


def erase(user) -> None:
    """Threads and posts stay (others replied to them), signed by the anonymized account;
    mentions of the person are removed. Reactions, follows and email preferences go. Reports
    and blocks stay as moderation records."""
    Reaction.objects.filter(user=user).delete()
    Follow.objects.filter(user=user).delete()
    Preference.objects.filter(user=user).delete()
    Post.mentions.through.objects.filter(user=user).delete()
