"""Writes shared by every app: the audit trail and notifications."""

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.template.loader import get_template
from django.utils import timezone

from .models import AuditEvent, Notification

logger = logging.getLogger(__name__)


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Record a decision. Call it inside the transaction of the write it describes,
    so the write and its audit row land together or not at all."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        changes=changes or {},
        reason=reason,
    )


def notify(
    *,
    recipients: Iterable,
    kind: str,
    context: dict[str, Any] | None = None,
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """Create in-app notifications and send each one by email, after the transaction commits,
    through the task queue. The text comes from templates rendered in each recipient's language."""
    # Fail now, inside the caller's transaction, rather than later in a worker.
    get_template(f"core/notifications/{kind}_subject.txt")
    get_template(f"core/notifications/{kind}_body.txt")
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    notifications = Notification.objects.bulk_create(
        Notification(recipient=user, kind=kind, context=context or {}, url=url, email_pending=email)
        for user in unique.values()
    )
    if email:
        from .tasks import send_notification_email

        for notification in notifications:
            transaction.on_commit(
                lambda pk=notification.pk: send_notification_email.enqueue(pk), robust=True
            )
    return notifications


def notifications_mark_read(*, actor, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notifications read (all of them when no ids are given)."""
    if not actor.is_authenticated:
        raise PermissionDenied
    queryset = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    return queryset.update(read_at=timezone.now())


def pending_emails_send(*, older_than: datetime.timedelta) -> tuple[int, int]:
    """Send the notification emails still pending after `older_than` (the mail server or the
    queue was down when they were made); (sent, still pending). Each goes out once: the task
    locks its notification and skips one already sent."""
    from .tasks import send_notification_email

    sent = failed = 0
    cutoff = timezone.now() - older_than
    pending = Notification.objects.filter(email_pending=True, created_at__lte=cutoff)
    for pk in pending.order_by("created_at").values_list("pk", flat=True).iterator():
        try:
            if send_notification_email.call(pk):
                sent += 1
        except Exception:
            logger.exception("Notification %s could not be emailed", pk)
            failed += 1
    return sent, failed
