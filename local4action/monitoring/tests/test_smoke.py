from decimal import Decimal

from django.utils import timezone

from local4action.monitoring import selectors, services
from local4action.monitoring.tests.factories import make_indicator


def test_a_hub_records_progress_and_gets_a_light(hub_and_editor, client):
    hub, editor = hub_and_editor
    indicator = make_indicator(hub, editor)
    services.measurement_add(
        actor=editor, indicator=indicator, value=Decimal("55"), date=timezone.localdate()
    )
    summary = selectors.initiative_summary(hub)
    assert summary.light == "green", summary.reasons
    client.force_login(editor)
    response = client.get(f"/initiatives/{hub.slug}/monitoring/")
    assert response.status_code == 200
    assert "People trained" in response.content.decode()
