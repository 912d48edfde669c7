from django.urls import path

from . import views

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
    # Secretariat dashboard (dashboards.py)
    # Portfolio reports (reports.py)
]
