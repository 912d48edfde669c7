"""Objects for the permission matrix's monitoring rows (see core/tests/test_permission_matrix.py).

A's HUB gets a deliverable and a measurement; A's draft initiative (not followed: nobody may
write its monitoring) a deliverable; the portfolio report gets one file asked for by the
secretariat and one by the partner."""

import datetime
from decimal import Decimal

API_BODIES = {
    ("PATCH", "/api/v1/deliverables/{id}"): {},
    ("POST", "/api/v1/initiatives/{slug}/deliverables"): {
        "title": "Matrix deliverable",
        "due_date": "2030-01-01",
    },
    ("POST", "/api/v1/initiatives/{slug}/indicators"): {
        "name": "Matrix indicator",
        "unit": "people",
        "baseline_value": "0",
        "baseline_date": "2026-01-01",
        "target_value": "10",
        "target_date": "2030-01-01",
    },
    ("POST", "/api/v1/indicators/{id}/measurements"): {"date": "2026-01-01", "value": "1"},
}


def objects(world) -> dict:
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from local4action.monitoring import services
    from local4action.monitoring.choices import ExportStatus
    from local4action.monitoring.models import Deliverable
    from local4action.monitoring.reports import report_export_request

    hub, editor, indicator = world["hub"], world["hub_editor"], world["indicator"]
    today = timezone.localdate()
    deliverable = services.deliverable_save(
        actor=editor,
        initiative=hub,
        data={"title": "A's deliverable", "due_date": today + datetime.timedelta(days=90)},
    )
    # The service refuses to write the monitoring of an initiative that is not followed.
    draft_initiative = world["draft_application"].initiative
    draft_deliverable = Deliverable.objects.create(
        initiative=draft_initiative,
        title="Deliverable of A's draft",
        due_date=today + datetime.timedelta(days=90),
    )
    measurement = services.measurement_add(
        actor=editor,
        indicator=indicator,
        date=today - datetime.timedelta(days=1),
        value=Decimal("10"),
    )
    people = world["people"]
    staff_export = report_export_request(actor=people["staff"], params={}, format="xlsx")
    partner_export = report_export_request(actor=people["partner"], params={}, format="xlsx")
    # The files the downloads serve (the world's media folder lives as long as the world).
    for item in (deliverable, draft_deliverable):
        item.evidence_file.save("evidence.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    for export in (staff_export, partner_export):
        export.status = ExportStatus.DONE
        export.file.save("report.xlsx", ContentFile(b"PK matrix"))
    return {
        "monitoring_deliverable": {"pk": deliverable.pk},
        "monitoring_draft_deliverable": {"pk": draft_deliverable.pk},
        "monitoring_measurement": {"pk": measurement.pk},
        "monitoring_staff_export": {"pk": staff_export.pk},
        "monitoring_partner_export": {"pk": partner_export.pk},
    }
