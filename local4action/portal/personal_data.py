"""What the portal holds about a person: a newsletter subscription, newsletters they sent."""

from typing import Any

from django.db.models import Q

from local4action.core.personal_data import records

from .models import Newsletter, Subscriber

MODELS = ("portal.Newsletter", "portal.Subscriber")


def export(user) -> dict[str, Any]:
    return {
        "newsletter_subscription": records(Subscriber.objects.filter(email__iexact=user.email)),
        "newsletters_prepared": [
            n.pk for n in Newsletter.objects.filter(Q(created_by=user) | Q(sent_by=user))
        ],
    }


def erase(user) -> None:
    """The subscription with the person's address goes (its deliveries with it); newsletters
    sent stay."""
    Subscriber.objects.filter(email__iexact=user.email).delete()
