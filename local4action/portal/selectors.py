from django.db.models import Count, Q

from local4action.accounts.choices import LRG_KINDS, OrganizationStatus
from local4action.accounts.models import Organization


def key_numbers() -> dict[str, int]:
    """Headline figures for the home page, in one query."""
    return Organization.objects.filter(status=OrganizationStatus.APPROVED).aggregate(
        organizations=Count("pk"),
        governments=Count("pk", filter=Q(kind__in=LRG_KINDS)),
        countries=Count("country", distinct=True),
        sections=Count("regional_section", distinct=True),
    )
