from django.urls import path

from . import dashboards, imports, reports, views

app_name = "monitoring"

urlpatterns = [
    # The team's monitoring pages (views.py)
    path("initiatives/<slug:slug>/monitoring/", views.initiative, name="initiative"),
    path("initiatives/<slug:slug>/monitoring/plan/", views.plan, name="plan"),
    path(
        "initiatives/<slug:slug>/deliverables/new/", views.deliverable_edit, name="deliverable_add"
    ),
    path("deliverables/<int:pk>/", views.deliverable_edit, name="deliverable_edit"),
    path("deliverables/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("initiatives/<slug:slug>/indicators/new/", views.indicator_edit, name="indicator_add"),
    path("indicators/<int:pk>/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/measurements/", views.measurement_add, name="measurement_add"),
    path("measurements/<int:pk>/delete/", views.measurement_delete, name="measurement_delete"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/acknowledge/", views.report_acknowledge, name="report_acknowledge"),
    # Measurement import (imports.py)
    path("indicators/<int:pk>/import/", imports.measurement_import, name="import"),
    path(
        "indicators/<int:pk>/import/template.csv",
        imports.import_template,
        name="import_template",
    ),
    # Secretariat dashboard (dashboards.py)
    path("monitoring/", dashboards.dashboard, name="dashboard"),
    # Portfolio reports (reports.py)
    path("monitoring/report/", reports.report, name="portfolio_report"),
    path("monitoring/report/exports/", reports.export_create, name="report_export_create"),
    path("monitoring/report/exports/<int:pk>/", reports.export_status, name="report_export"),
    path(
        "monitoring/report/exports/<int:pk>/download/",
        reports.export_download,
        name="report_export_download",
    ),
]
