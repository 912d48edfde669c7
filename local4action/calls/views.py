from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from local4action.accounts.choices import (
    MembershipRole,
    MembershipStatus,
    OrganizationStatus,
    PlatformRole,
)
from local4action.accounts.models import Organization, User
from local4action.accounts.permissions import is_secretariat
from local4action.core import actions
from local4action.core.numbers import whole_number
from local4action.core.once import once

from . import eligibility, permissions, selectors, services
from .choices import CallStatus, Stage
from .forms import (
    ApplicationForm,
    AttachmentForm,
    CallForm,
    DecisionForm,
    DeliverableFormSet,
    ReviewForm,
    ShortlistForm,
    StartForm,
)
from .models import Attachment


def _staff_only(request) -> None:
    if not is_secretariat(request.user):
        raise PermissionDenied


# Calls ---------------------------------------------------------------------------------------


def call_list(request):
    return render(
        request, "calls/call_list.html", {"calls": selectors.call_list(user=request.user)}
    )


def call_detail(request, slug):
    call = selectors.call_get(user=request.user, slug=slug)
    organizations = _organizations_for_start(request.user, call)
    return render(
        request,
        "calls/call_detail.html",
        {
            "call": call,
            "can_manage": permissions.can_manage_calls(request.user),
            "can_apply": bool(organizations),
            "eoi_deadline": call.eoi_closes_at and services.deadline_in_zone(call, Stage.EOI),
            "deadline": services.deadline_in_zone(call, Stage.FULL),
            "criteria": call.criteria.all(),
        },
    )


@login_required
@once
def call_create(request):
    _staff_only(request)
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "The call has been created as a draft. Review its "
                    "criteria and questions, then open it."
                ),
            )
            return redirect(call)
    return render(request, "calls/call_form.html", {"form": form})


@login_required
def call_edit(request, slug):
    _staff_only(request)
    call = selectors.call_get(user=request.user, slug=slug)
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        try:
            services.call_update(actor=request.user, call=call, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(call)
    return render(request, "calls/call_form.html", {"form": form, "call": call})


@login_required
@require_POST
def call_status(request, slug):
    call = selectors.call_get(user=request.user, slug=slug)
    status = request.POST.get("status", "")
    label = CallStatus(status).label if status in CallStatus.values else status
    actions.run(
        request,
        lambda: services.call_set_status(actor=request.user, call=call, status=status),
        _("The call is now “%(status)s”.") % {"status": label},
    )
    return redirect(call)


@login_required
@require_POST
def call_publish(request, slug):
    call = selectors.call_get(user=request.user, slug=slug)
    actions.run(
        request,
        lambda: services.call_publish_results(actor=request.user, call=call),
        _("The results are public."),
    )
    return redirect(call)


def call_results(request, slug):
    call = selectors.call_get(user=request.user, slug=slug)
    applications = selectors.call_results(user=request.user, call=call)
    return render(request, "calls/call_results.html", {"call": call, "applications": applications})


@login_required
def call_applications(request, slug):
    _staff_only(request)
    call = selectors.call_get(user=request.user, slug=slug)
    return render(
        request,
        "calls/call_applications.html",
        {
            "call": call,
            "applications": selectors.call_applications(user=request.user, call=call),
        },
    )


@login_required
def call_ranking(request, slug):
    _staff_only(request)
    call = selectors.call_get(user=request.user, slug=slug)
    criteria, rows = selectors.call_ranking(user=request.user, call=call)
    return render(
        request, "calls/call_ranking.html", {"call": call, "criteria": criteria, "rows": rows}
    )


@login_required
@require_POST
def auto_assign(request, slug):
    call = selectors.call_get(user=request.user, slug=slug)
    try:
        count = services.reviews_auto_assign(actor=request.user, call=call)
    except ValidationError as error:
        actions.show_errors(request, error)
    else:
        messages.success(request, _("%(count)s reviews assigned.") % {"count": count})
    return redirect("calls:applications", slug=call.slug)


# Applications --------------------------------------------------------------------------------


def _organizations_for_start(user, call):
    if not user.is_authenticated or call.status != CallStatus.OPEN:
        return Organization.objects.none()
    return Organization.objects.filter(
        status=OrganizationStatus.APPROVED,
        memberships__user=user,
        memberships__status=MembershipStatus.ACTIVE,
        memberships__role__in=[MembershipRole.EDITOR, MembershipRole.ADMIN],
    ).distinct()


@login_required
@once
def application_start(request, slug):
    call = selectors.call_get(user=request.user, slug=slug)
    organizations = _organizations_for_start(request.user, call)
    if not organizations:
        raise PermissionDenied
    form = StartForm(
        request.POST or None,
        organizations=organizations,
        initial={"organization": organizations[0]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_start(
                actor=request.user,
                call=call,
                organization=form.cleaned_data["organization"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("calls:application_edit", pk=application.pk)
    return render(request, "calls/application_start.html", {"call": call, "form": form})


@login_required
def my_applications(request):
    return render(
        request,
        "calls/my_applications.html",
        {"applications": selectors.applications_for_user(user=request.user)},
    )


def _initial(application):
    initiative = application.initiative
    location = next(iter(initiative.locations.all()), None)
    initial = {
        "version": application.version,
        "title": initiative.title,
        "summary": initiative.summary,
        "scale": initiative.scale,
        "start_date": initiative.start_date,
        "end_date": initiative.end_date,
        "website": initiative.website,
        "goals": list(initiative.goals.all()),
        "policy_areas": list(initiative.policy_areas.all()),
        "target_codes": ", ".join(t.code for t in initiative.targets.all()),
        "support_requested": application.support_requested,
        "place": location.name if location else "",
        "latitude": location.latitude if location else None,
        "longitude": location.longitude if location else None,
    }
    for key, value in application.answers.items():
        initial[f"q_{key}"] = value
    for translation in initiative.translations.all():
        initial[f"title_{translation.language}"] = translation.title
        initial[f"summary_{translation.language}"] = translation.summary
    return initial


def _deliverables(formset) -> list[dict] | None:
    if not formset.is_valid():
        return None
    return [
        {
            "title": f.cleaned_data["title"],
            "due_date": f.cleaned_data["due_date"],
            "success_criteria": f.cleaned_data.get("success_criteria", ""),
        }
        for f in formset.forms
        if f.cleaned_data.get("title")
    ]


# A version sent but unreadable counts as out of date: the service refuses it as a conflict
# instead of saving without the check.
UNREADABLE_VERSION = -1


def _version(form) -> int | None:
    if "version" in form.errors:
        return UNREADABLE_VERSION
    return form.cleaned_data.get("version") if hasattr(form, "cleaned_data") else None


def _save(request, application, form, formset):
    data = form.to_service() if hasattr(form, "cleaned_data") else {}
    return services.application_save_draft(
        actor=request.user,
        application=application,
        version=_version(form),
        deliverables=_deliverables(formset) if formset is not None else None,
        **data,
    )


@login_required
def application_edit(request, pk):
    application = selectors.application_get(user=request.user, pk=pk)
    if not permissions.can_edit_application(request.user, application):
        return redirect(application)
    stage = application.stage
    full = stage == Stage.FULL
    if request.method == "POST":
        form = ApplicationForm(request.POST, application=application, stage=stage)
        formset = DeliverableFormSet(request.POST, prefix="deliverables") if full else None
        form.is_valid()
        try:
            # Save first: whatever happens next, nothing the team typed is lost.
            application = _save(request, application, form, formset)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if "submit" in request.POST and not form.errors:
                try:
                    services.application_submit(actor=request.user, application=application)
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(
                        request,
                        _(
                            "Submitted. The secretariat has been told; you "
                            "will be notified of the next step."
                        ),
                    )
                    return redirect(application)
            elif not form.errors and (formset is None or formset.is_valid()):
                messages.success(request, _("Draft saved."))
                return redirect("calls:application_edit", pk=application.pk)
        application = selectors.application_get(user=request.user, pk=pk)
        form.data = form.data.copy()
        form.data["version"] = application.version
    else:
        form = ApplicationForm(initial=_initial(application), application=application, stage=stage)
        formset = (
            DeliverableFormSet(
                prefix="deliverables",
                initial=[
                    {
                        "title": d.title,
                        "due_date": d.due_date,
                        "success_criteria": d.success_criteria,
                    }
                    for d in application.deliverables.all()
                ],
            )
            if full
            else None
        )
    return render(
        request,
        "calls/application_form.html",
        {
            "application": application,
            "call": application.call,
            "form": form,
            "formset": formset,
            "stage": stage,
            "problems": eligibility.problems(application, stage),
            "deadline": services.deadline_in_zone(application.call, stage),
            "attachment_form": AttachmentForm(),
        },
    )


@login_required
@require_POST
def application_autosave(request, pk):
    """Called by htmx while the team types; answers with a short status line."""
    application = selectors.application_get(user=request.user, pk=pk)
    stage = application.stage
    form = ApplicationForm(request.POST, application=application, stage=stage)
    form.is_valid()
    formset = (
        DeliverableFormSet(request.POST, prefix="deliverables") if stage == Stage.FULL else None
    )
    try:
        application = _save(request, application, form, formset)
    except (ValidationError, PermissionDenied) as error:
        message = (
            error.messages[0]
            if isinstance(error, ValidationError)
            else _("This application can no longer be edited.")
        )
        return render(
            request,
            "calls/partials/_autosave.html",
            {"error": message, "version": None},
            status=409,
        )
    return render(
        request,
        "calls/partials/_autosave.html",
        {"saved_at": timezone.localtime(), "version": application.version},
    )


@login_required
def application_detail(request, pk):
    application = selectors.application_get(user=request.user, pk=pk)
    user = request.user
    staff = is_secretariat(user)
    reviewers = []
    if permissions.can_assign_reviewers(user, application):
        taken = [r.reviewer_id for r in application.reviews.all()]
        reviewers = (
            User.objects.filter(groups__name=PlatformRole.REVIEWER, is_active=True)
            .exclude(pk__in=taken)
            .order_by("name")
        )
    return render(
        request,
        "calls/application_detail.html",
        {
            "application": application,
            "call": application.call,
            "initiative": application.initiative,
            "questions": [q for q in application.call.questions.all()],
            "can_edit": permissions.can_edit_application(user, application),
            "can_withdraw": permissions.can_withdraw_application(user, application),
            "can_shortlist": permissions.can_shortlist(user, application),
            "can_assign": permissions.can_assign_reviewers(user, application),
            "can_decide": permissions.can_decide(user, application),
            "is_staff": staff,
            "reviews": selectors.application_reviews(user=user, application=application),
            "assignments": application.reviews.all() if staff else [],
            "reviewers": reviewers,
            "my_review": next(
                (r for r in application.reviews.all() if r.reviewer_id == user.pk), None
            ),
            "decision_form": DecisionForm(),
            "shortlist_form": ShortlistForm(),
        },
    )


@login_required
@require_POST
def application_withdraw(request, pk):
    application = selectors.application_get(user=request.user, pk=pk)
    actions.run(
        request,
        lambda: services.application_withdraw(
            actor=request.user, application=application, reason=request.POST.get("reason", "")
        ),
        _("The application has been withdrawn."),
    )
    return redirect(application)


@login_required
@require_POST
def application_shortlist(request, pk):
    application = selectors.application_get(user=request.user, pk=pk)
    actions.run(
        request,
        lambda: services.application_shortlist(
            actor=request.user,
            application=application,
            shortlisted=request.POST.get("shortlisted") == "yes",
            reason=request.POST.get("reason", ""),
        ),
        _("The team has been told."),
    )
    return redirect(application)


@login_required
@require_POST
def review_assign(request, pk):
    application = selectors.application_get(user=request.user, pk=pk)
    reviewer_id = request.POST.get("reviewer", "")
    reviewer_pk = whole_number(reviewer_id)
    reviewer = User.objects.filter(pk=reviewer_pk).first() if reviewer_pk is not None else None
    if reviewer is None:
        messages.error(request, _("Choose a reviewer."))
        return redirect(application)
    actions.run(
        request,
        lambda: services.review_assign(
            actor=request.user, application=application, reviewer=reviewer
        ),
        _("%(name)s will review this application.") % {"name": reviewer},
    )
    return redirect(application)


@login_required
@require_POST
def application_decide(request, pk):
    application = selectors.application_get(user=request.user, pk=pk)
    actions.run(
        request,
        lambda: services.application_decide(
            actor=request.user,
            application=application,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
        ),
        _("The decision has been recorded and the team notified."),
    )
    return redirect(application)


@login_required
@require_POST
def attachment_upload(request, pk):
    application = selectors.application_get(user=request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to attach."))
    else:
        actions.run(
            request,
            lambda: services.attachment_add(
                actor=request.user, application=application, uploaded=form.cleaned_data["file"]
            ),
            _("The document has been attached."),
        )
    return redirect("calls:application_edit", pk=application.pk)


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("application"), pk=pk)
    # Seeing the application is what allows reading its documents.
    selectors.application_get(user=request.user, pk=attachment.application_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_delete(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("application"), pk=pk)
    selectors.application_get(user=request.user, pk=attachment.application_id)
    services.attachment_remove(actor=request.user, attachment=attachment)
    messages.success(request, _("The document has been removed."))
    return redirect("calls:application_edit", pk=attachment.application_id)


# Reviews -------------------------------------------------------------------------------------


@login_required
def my_reviews(request):
    return render(
        request,
        "calls/my_reviews.html",
        {"reviews": selectors.reviews_for_reviewer(user=request.user)},
    )


@login_required
def review_edit(request, pk):
    review = selectors.review_get(user=request.user, pk=pk)
    application = selectors.application_get(user=request.user, pk=review.application_id)
    criteria = list(application.call.criteria.all())
    scores = {s.criterion_id: s for s in review.scores.all()}
    initial = {"recommendation": review.recommendation, "comment": review.comment}
    for criterion_id, score in scores.items():
        initial[f"score_{criterion_id}"] = score.score
        initial[f"comment_{criterion_id}"] = score.comment
    form = ReviewForm(request.POST or None, initial=initial, criteria=criteria)
    editable = permissions.can_edit_review(request.user, review)
    if request.method == "POST" and editable and form.is_valid():
        try:
            services.review_save(
                actor=request.user,
                review=review,
                scores=form.scores(),
                recommendation=form.cleaned_data["recommendation"],
                comment=form.cleaned_data["comment"],
                submit="submit" in request.POST,
            )
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages_)
        else:
            if "submit" in request.POST:
                messages.success(request, _("Your review has been submitted. Thank you."))
                return redirect("calls:my_reviews")
            messages.success(request, _("Your review has been saved."))
            return redirect("calls:review", pk=review.pk)
    return render(
        request,
        "calls/review_form.html",
        {
            "review": review,
            "application": application,
            "call": application.call,
            "initiative": application.initiative,
            "form": form,
            "editable": editable,
            "questions": [q for q in application.call.questions.all()],
            "other_reviews": [
                r
                for r in selectors.application_reviews(user=request.user, application=application)
                if r.pk != review.pk
            ],
        },
    )


@login_required
@require_POST
def review_conflict(request, pk):
    review = selectors.review_get(user=request.user, pk=pk)
    services.review_declare_conflict(
        actor=request.user, review=review, note=request.POST.get("note", "")
    )
    messages.success(
        request,
        _(
            "Your conflict of interest has been recorded; the secretariat "
            "will assign another reviewer."
        ),
    )
    return redirect("calls:my_reviews")
