from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from local4action.core import actions
from local4action.network.selectors import synchronization

from . import permissions, selectors, services
from .forms import (
    AcknowledgeForm,
    DeliverableForm,
    IndicatorForm,
    MeasurementForm,
    PlanForm,
    ReportForm,
)
from .models import Deliverable, Indicator, Measurement


def _initiative_page(initiative):
    return redirect("monitoring:initiative", slug=initiative.slug)


@login_required
def initiative(request, slug):
    data = selectors.initiative_monitoring(user=request.user, slug=slug)
    return render(
        request,
        "monitoring/initiative.html",
        {
            "m": data,
            "initiative": data.initiative,
            "summary": data.summary,
            "indicators": [(i, selectors.indicator_state_of(i)) for i in data.indicators],
            "can_edit": permissions.can_edit_monitoring(request.user, data.initiative),
            "can_manage": permissions.can_manage_monitoring(request.user),
            "synchronization": synchronization(data.initiative),
        },
    )


@login_required
def plan(request, slug):
    initiative = selectors.initiative_get(user=request.user, slug=slug)
    if not permissions.can_manage_monitoring(request.user):
        raise PermissionDenied
    current = getattr(initiative, "monitoring_plan", None)
    form = PlanForm(
        request.POST or None,
        initial={
            "report_every_months": current.report_every_months if current else 6,
            "first_report_due": current.first_report_due if current else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.plan_set(actor=request.user, initiative=initiative, **form.cleaned_data)
        messages.success(request, _("The reporting schedule has been saved."))
        return _initiative_page(initiative)
    return render(
        request,
        "monitoring/form.html",
        {"form": form, "initiative": initiative, "title": _("Reporting schedule")},
    )


def _edit(request, *, form, initiative, title, save):
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return _initiative_page(initiative)
    return render(
        request, "monitoring/form.html", {"form": form, "initiative": initiative, "title": title}
    )


@login_required
def deliverable_edit(request, slug=None, pk=None):
    if pk:
        deliverable = selectors.deliverable_get(user=request.user, pk=pk)
        initiative = deliverable.initiative
    else:
        deliverable = None
        initiative = selectors.initiative_get(user=request.user, slug=slug)
    if not permissions.can_edit_monitoring(request.user, initiative):
        raise PermissionDenied
    form = DeliverableForm(
        request.POST or None,
        request.FILES or None,
        instance=deliverable or Deliverable(initiative=initiative),
    )
    return _edit(
        request,
        form=form,
        initiative=initiative,
        title=_("Edit the deliverable") if deliverable else _("New deliverable"),
        save=lambda: services.deliverable_save(
            actor=request.user,
            initiative=initiative,
            deliverable=deliverable,
            data={f: form.cleaned_data[f] for f in form.Meta.fields},
        ),
    )


@login_required
def evidence(request, pk):
    deliverable = selectors.deliverable_get(user=request.user, pk=pk)
    if not deliverable.evidence_file:
        raise Http404
    response = FileResponse(deliverable.evidence_file.open("rb"), as_attachment=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def indicator_edit(request, slug=None, pk=None):
    if pk:
        indicator = selectors.indicator_get(user=request.user, pk=pk)
        initiative = indicator.initiative
    else:
        indicator = None
        initiative = selectors.initiative_get(user=request.user, slug=slug)
    if not permissions.can_edit_monitoring(request.user, initiative):
        raise PermissionDenied
    form = IndicatorForm(
        request.POST or None, instance=indicator or Indicator(initiative=initiative)
    )
    return _edit(
        request,
        form=form,
        initiative=initiative,
        title=_("Edit the indicator") if indicator else _("New indicator"),
        save=lambda: services.indicator_save(
            actor=request.user, initiative=initiative, indicator=indicator, data=form.to_service()
        ),
    )


@login_required
def measurement_add(request, pk):
    indicator = selectors.indicator_get(user=request.user, pk=pk)
    can_edit = permissions.can_edit_monitoring(request.user, indicator.initiative)
    form = MeasurementForm(request.POST or None, indicator=indicator)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.measurement_add(
                    actor=request.user,
                    indicator=indicator,
                    date=form.cleaned_data["date"],
                    value=form.cleaned_data["value"],
                    source=form.cleaned_data["source"],
                    note=form.cleaned_data["note"],
                    disaggregation=form.disaggregation(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The value has been recorded."))
                return redirect("monitoring:measurement_add", pk=indicator.pk)
    return render(
        request,
        "monitoring/measurements.html",
        {
            "indicator": indicator,
            "initiative": indicator.initiative,
            "form": form,
            "can_edit": can_edit,
            "state": selectors.indicator_state_of(indicator),
            "measurements": indicator.measurements.order_by("-date", "-id")[:500],
        },
    )


@login_required
@require_POST
def measurement_delete(request, pk):
    measurement = Measurement.objects.select_related("indicator").filter(pk=pk).first()
    if measurement is None:
        raise Http404
    selectors.indicator_get(user=request.user, pk=measurement.indicator_id)
    services.measurement_delete(actor=request.user, measurement=measurement)
    messages.success(request, _("The value has been deleted."))
    return redirect("monitoring:measurement_add", pk=measurement.indicator_id)


@login_required
def report(request, pk):
    report = selectors.report_get(user=request.user, pk=pk)
    can_edit = permissions.can_edit_monitoring(request.user, report.initiative) and (
        report.status == "draft"
    )
    form = ReportForm(request.POST or None, instance=report)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            data = {f: form.cleaned_data[f] for f in form.Meta.fields}
            try:
                # Save first, so a refused submission loses nothing.
                report = services.report_save(
                    actor=request.user,
                    report=report,
                    data=data,
                    version=form.cleaned_data.get("version"),
                )
                if "submit" in request.POST:
                    services.report_submit(actor=request.user, report=report)
                    messages.success(request, _("Submitted. The secretariat has been told."))
                else:
                    messages.success(request, _("Draft saved."))
                return redirect(report)
            except ValidationError as error:
                form.add_error(None, error)
    return render(
        request,
        "monitoring/report.html",
        {
            "report": report,
            "initiative": report.initiative,
            "form": form,
            "can_edit": can_edit,
            "can_acknowledge": permissions.can_manage_monitoring(request.user)
            and report.status == "submitted",
            "acknowledge_form": AcknowledgeForm(),
        },
    )


@login_required
@require_POST
def report_acknowledge(request, pk):
    report = selectors.report_get(user=request.user, pk=pk)
    form = AcknowledgeForm(request.POST)
    form.is_valid()
    actions.run(
        request,
        lambda: services.report_acknowledge(
            actor=request.user, report=report, feedback=form.cleaned_data.get("feedback", "")
        ),
        _("The report has been acknowledged and the team told."),
    )
    return redirect(report)
