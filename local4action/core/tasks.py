from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from .models import Notification
from .selectors import notification_render


@task()
def send_notification_email(notification_id: int) -> bool:
    """Send one notification by email, once: a retried task finds it sent and does nothing."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, email_sent_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        if not notification.recipient.email:
            notification.email_pending = False
            notification.save(update_fields=["email_pending"])
            return False
        with translation.override(notification.recipient.language):
            subject, body = notification_render(notification=notification, absolute=True)
        send_mail(
            subject=subject,
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.recipient.email],
        )
        notification.email_sent_at = timezone.now()
        notification.email_pending = False
        notification.save(update_fields=["email_sent_at", "email_pending"])
    return True
