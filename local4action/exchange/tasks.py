from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from local4action.core.models import Notification
from local4action.core.selectors import notification_render


@task()
def send_digest_email(user_id: int, notification_ids: list[int]) -> bool:
    """One email listing the person's unsent exchange notifications, in their language, once:
    the notifications are marked sent in the same transaction."""
    with transaction.atomic():
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        notifications = list(
            Notification.objects.select_for_update()
            .filter(pk__in=notification_ids, recipient_id=user_id, email_sent_at__isnull=True)
            .order_by("created_at")
        )
        if user is None or not notifications or not user.email:
            return False
        with translation.override(user.language):
            items = [notification_render(notification=n, absolute=True) for n in notifications]
            context = {"user": user, "items": items, "count": len(items)}
            subject = render_to_string("exchange/email/digest_subject.txt", context)
            body = render_to_string("exchange/email/digest_body.txt", context)
        send_mail(
            subject=" ".join(subject.split()),
            message=body.strip() + "\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
            email_sent_at=timezone.now()
        )
    return True
