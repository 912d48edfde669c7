from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from .models import Invitation


@task()
def send_invitation_email(invitation_id: int, token: str) -> bool:
    """Email one personal invitation in the invited person's language, once."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("event")
            .filter(pk=invitation_id, sent_at__isnull=True)
            .first()
        )
        if invitation is None:
            return False
        event = invitation.event
        url = settings.SITE_URL.rstrip("/") + reverse("events:invitation", args=[token])
        with translation.override(invitation.language), timezone.override(event.zone):
            context = {"invitation": invitation, "event": event, "url": url}
            subject = render_to_string("events/email/invitation_subject.txt", context)
            body = render_to_string("events/email/invitation_body.txt", context)
        send_mail(
            subject=" ".join(subject.split()),
            message=body.strip() + "\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[invitation.email],
        )
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    return True
