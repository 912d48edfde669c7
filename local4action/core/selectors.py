"""Reads shared by every app: SDG reference data, taxonomies, notifications."""

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string

from .models import Goal, Indicator, Notification, Target


def goal_list() -> QuerySet[Goal]:
    return Goal.objects.all()


def goal_get(*, number: int) -> Goal:
    targets = Target.objects.prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.filter(obsolete=False))
    )
    return get_object_or_404(
        Goal.objects.prefetch_related(Prefetch("targets", queryset=targets)), number=number
    )


def target_get(*, code: str) -> Target:
    return get_object_or_404(
        Target.objects.select_related("goal").prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.filter(obsolete=False))
        ),
        code=code,
    )


def notification_list(*, user, limit: int = 50) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user)[:limit])


def notification_unread_count(*, user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_render(*, notification: Notification, absolute: bool = False) -> tuple[str, str]:
    """Subject and body of a notification in the active language."""
    url = notification.url
    if absolute and url.startswith("/"):
        url = settings.SITE_URL.rstrip("/") + url
    context = {**notification.context, "url": url, "recipient": notification.recipient}
    subject = render_to_string(f"core/notifications/{notification.kind}_subject.txt", context)
    body = render_to_string(f"core/notifications/{notification.kind}_body.txt", context)
    return " ".join(subject.split()), body.strip() + "\n"
