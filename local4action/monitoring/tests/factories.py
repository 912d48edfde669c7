"""A followed initiative (a HUB) with its team, and monitoring records made through the
services."""

import datetime
from decimal import Decimal

from django.utils import timezone

from local4action.calls.tests.factories import make_team
from local4action.initiatives.models import Initiative
from local4action.monitoring import services


def make_hub(
    *,
    organization=None,
    title="Participation for all",
    status="labelled",
    years=2,
    started_days_ago=365,
):
    """A labelled HUB that started a year ago and runs two years; returns (hub, editor)."""
    organization, admin, editor = make_team(organization)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=started_days_ago)
    hub = Initiative.objects.create(
        title=title,
        slug=f"hub-{Initiative.objects.count() + 1}",
        lead_organization=organization,
        status=status,
        labelled_at=timezone.now() if status == "labelled" else None,
        start_date=start,
        end_date=start + datetime.timedelta(days=365 * years),
        summary="A HUB.",
    )
    return hub, editor


def make_indicator(hub, editor, **fields):
    """Participants trained: 0 → 100 over two years from the HUB's start."""
    data = {
        "name": "People trained",
        "unit": "people",
        "direction": "higher",
        "baseline_value": Decimal("0"),
        "baseline_date": hub.start_date,
        "target_value": Decimal("100"),
        "target_date": hub.end_date,
        **fields,
    }
    return services.indicator_save(actor=editor, initiative=hub, data=data)
