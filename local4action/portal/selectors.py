from django.db.models import Count, Q

from local4action.accounts.choices import LRG_KINDS, OrganizationStatus
from local4action.accounts.models import Organization
from local4action.initiatives.choices import InitiativeStatus
from local4action.initiatives.models import Initiative


def key_numbers() -> dict[str, int]:
    """Headline figures for the home page, in two queries."""
    numbers = Organization.objects.filter(status=OrganizationStatus.APPROVED).aggregate(
        organizations=Count("pk"),
        governments=Count("pk", filter=Q(kind__in=LRG_KINDS)),
        countries=Count("country", distinct=True),
        sections=Count("regional_section", distinct=True),
    )
    numbers.update(
        Initiative.objects.aggregate(
            hubs=Count("pk", filter=Q(status=InitiativeStatus.LABELLED)),
            accompanied=Count("pk", filter=Q(status=InitiativeStatus.ACCOMPANIED)),
        )
    )
    return numbers
