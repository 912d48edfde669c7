"""Background work of the portal: sending a newsletter to its subscribers."""

import logging

from django.utils import timezone
from django_tasks import task

from .models import Newsletter, Subscriber

logger = logging.getLogger(__name__)


@task()
def newsletter_deliver(newsletter_id: int) -> int:
    """Email a sent newsletter to every confirmed subscriber who has not had it yet. Each
    address is claimed (a delivery row) before its email goes out, so running the task again —
    a retry, a second worker — never writes to anyone twice. Returns how many emails it sent."""
    from . import services

    newsletter = Newsletter.objects.filter(pk=newsletter_id, sent_at__isnull=False).first()
    if newsletter is None:
        return 0
    sent = 0
    waiting = Subscriber.objects.filter(confirmed_at__isnull=False).exclude(
        deliveries__newsletter=newsletter
    )
    for subscriber in waiting.order_by("pk").iterator():
        delivery = services.delivery_claim(newsletter=newsletter, subscriber=subscriber)
        if delivery is None:
            continue
        try:
            services.newsletter_message(newsletter, subscriber).send()
        except Exception as error:  # one refused address must not stop the others
            logger.exception("Newsletter %s to subscriber %s failed", newsletter.pk, subscriber.pk)
            delivery.error = str(error)[:1000]
            delivery.save(update_fields=["error"])
            continue
        delivery.sent_at = timezone.now()
        delivery.save(update_fields=["sent_at"])
        sent += 1
    return sent
