"""Every write on calls, applications, reviews and decisions."""

import datetime
from collections import Counter
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from local4action.accounts.choices import LRG_KINDS, MembershipRole, MembershipStatus, PlatformRole
from local4action.accounts.models import User
from local4action.core.richtext import sanitize
from local4action.core.services import audit_record, notify
from local4action.core.uploads import check_upload
from local4action.core.validators import validate_time_zone
from local4action.initiatives.choices import InitiativeStatus
from local4action.initiatives.services import (
    initiative_create_draft,
    initiative_set_status,
    initiative_update,
)

from . import eligibility, permissions, workflow
from .choices import (
    DECIDED_STATUSES,
    SCORE_MAX,
    SCORE_MIN,
    ApplicationStatus,
    CallStatus,
    ConflictRule,
    Decision,
    QuestionKind,
    Recommendation,
    ReviewStatus,
    Stage,
)
from .defaults import CHARACTERISTICS, QUESTIONS, in_all_languages
from .models import (
    Application,
    Attachment,
    Call,
    ConflictOfInterest,
    Criterion,
    PlannedDeliverable,
    Question,
    Review,
    Score,
)

CALL_FIELDS = (
    "title",
    "description",
    "time_zone",
    "opens_at",
    "eoi_closes_at",
    "closes_at",
    "eligible_kinds",
    "target_countries",
    "support_offered",
    "reviewers_per_application",
    "conflict_rule",
)
CALL_STATUS_CHANGES = {
    CallStatus.DRAFT: {CallStatus.OPEN},
    CallStatus.OPEN: {CallStatus.CLOSED},
    CallStatus.CLOSED: {CallStatus.OPEN, CallStatus.DECIDED},
}
# Extension → what the file's first bytes must say it is.
ANSWER_MAX_CHARS = 20_000


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied


def _staff():
    return User.objects.filter(is_active=True, groups__name=PlatformRole.SECRETARIAT).distinct()


def _team(application: Application):
    """The people who answer for an application: its lead organization's editors and admins."""
    return User.objects.filter(
        is_active=True,
        memberships__organization=application.initiative.lead_organization,
        memberships__status=MembershipStatus.ACTIVE,
        memberships__role__in=[MembershipRole.EDITOR, MembershipRole.ADMIN],
    ).distinct()


# Calls ---------------------------------------------------------------------------------------


def _validate_call(call: Call) -> None:
    unknown = set(call.eligible_kinds) - set(LRG_KINDS)
    if not call.eligible_kinds or unknown:
        raise ValidationError(
            {"eligible_kinds": _("Choose which kinds of local and regional governments may apply.")}
        )
    try:
        validate_time_zone(call.time_zone)
    except ValidationError as error:
        # Deadlines are shown and checked in this zone: an unknown one would fail later.
        raise ValidationError({"time_zone": error.messages}) from error
    call.full_clean(exclude=["slug"])


@transaction.atomic
def call_create(*, actor, data: dict[str, Any]) -> Call:
    """The secretariat creates a call in draft, with the six characteristics as criteria and
    the standard questions; it can adapt them before opening."""
    _require(permissions.can_manage_calls(actor))
    call = Call(created_by=actor, **{k: v for k, v in data.items() if k in CALL_FIELDS})
    call.description = sanitize(call.description)
    base = slugify(call.title)[:200] or "call"
    call.slug, n = base, 1
    while Call.objects.filter(slug=call.slug).exists():
        n += 1
        call.slug = f"{base}-{n}"
    _validate_call(call)
    call.save()
    criteria = {}
    for position, (key, name, description) in enumerate(CHARACTERISTICS):
        criteria[key] = Criterion.objects.create(
            call=call,
            key=key,
            position=position,
            name=in_all_languages(name),
            description=in_all_languages(description),
        )
    for position, (key, stage, kind, text, help_text, criterion) in enumerate(QUESTIONS):
        if stage == Stage.EOI and not call.two_stages:
            continue
        Question.objects.create(
            call=call,
            key=key,
            stage=stage,
            kind=kind,
            position=position,
            text=in_all_languages(text),
            help=in_all_languages(help_text),
            criterion=criteria.get(criterion),
        )
    audit_record(actor=actor, action="call.create", target=call)
    return call


@transaction.atomic
def call_update(*, actor, call: Call, data: dict[str, Any]) -> Call:
    _require(permissions.can_manage_calls(actor))
    current = Call.objects.select_for_update().get(pk=call.pk)
    changes = {}
    for field in CALL_FIELDS:
        if field in data and getattr(current, field) != data[field]:
            changes[field] = [str(getattr(current, field)), str(data[field])]
            setattr(current, field, data[field])
    current.description = sanitize(current.description)
    _validate_call(current)
    current.save()
    if changes:
        audit_record(actor=actor, action="call.update", target=current, changes=changes)
    return current


@transaction.atomic
def call_set_status(*, actor, call: Call, status: str) -> Call:
    """Open, close, reopen, or mark a call decided once every submitted application is."""
    _require(permissions.can_manage_calls(actor))
    current = Call.objects.select_for_update().get(pk=call.pk)
    if status not in CALL_STATUS_CHANGES.get(current.status, set()):
        # An unknown status (a tampered form) is refused like a forbidden change, not a crash.
        new = CallStatus(status).label if status in CallStatus.values else str(status)
        raise ValidationError(
            _("This call cannot go from “%(old)s” to “%(new)s”.")
            % {"old": current.get_status_display(), "new": new}
        )
    if (
        status == CallStatus.DECIDED
        and current.applications.filter(status=ApplicationStatus.SUBMITTED).exists()
    ):
        raise ValidationError(_("Some submitted applications are not decided yet."))
    old, current.status = current.status, status
    current.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor, action="call.status", target=current, changes={"status": [old, status]}
    )
    return current


@transaction.atomic
def call_publish_results(*, actor, call: Call) -> Call:
    _require(permissions.can_manage_calls(actor))
    current = Call.objects.select_for_update().get(pk=call.pk)
    if current.status != CallStatus.DECIDED:
        raise ValidationError(_("Results can be published once the call is decided."))
    current.results_published = True
    current.save(update_fields=["results_published", "updated_at"])
    audit_record(actor=actor, action="call.publish_results", target=current)
    return current


# Applications --------------------------------------------------------------------------------


@transaction.atomic
def application_start(*, actor, call: Call, organization, title: str) -> Application:
    """An editor or admin of an approved LRG starts an application while the call accepts
    its first stage; it creates the initiative as a draft."""
    _require(permissions.can_apply(actor, call, organization))
    stage = Stage.EOI if call.two_stages else Stage.FULL
    if not call.is_accepting(stage):
        raise ValidationError(_("This call does not accept new applications now."))
    if not title.strip():
        raise ValidationError({"title": _("Give the initiative a title.")})
    initiative = initiative_create_draft(
        actor=actor, organization=organization, title=title, language=actor.language
    )
    application = Application.objects.create(
        call=call,
        initiative=initiative,
        created_by=actor,
        status=ApplicationStatus.EOI_DRAFT if call.two_stages else ApplicationStatus.DRAFT,
    )
    audit_record(actor=actor, action="application.start", target=application)
    return application


def _clean_answers(application: Application, answers: dict[str, Any]) -> dict[str, Any]:
    questions = {q.key: q for q in application.call.questions.all()}
    cleaned = dict(application.answers)
    for key, value in answers.items():
        question = questions.get(key)
        if question is None:
            continue
        if question.kind == QuestionKind.YES_NO:
            cleaned[key] = value in (True, "yes", "on", "true", "1")
        else:
            text = str(value or "")
            if len(text) > ANSWER_MAX_CHARS:
                raise ValidationError(
                    {
                        key: _("This answer is too long (at most %(n)s characters).")
                        % {"n": ANSWER_MAX_CHARS}
                    }
                )
            cleaned[key] = text
    return cleaned


@transaction.atomic
def application_save_draft(
    *,
    actor,
    application: Application,
    version: int | None,
    answers: dict[str, Any] | None = None,
    initiative_data: dict[str, Any] | None = None,
    support_requested: list[str] | None = None,
    deliverables: list[dict[str, Any]] | None = None,
) -> Application:
    """Save what the team typed, complete or not. Refused when someone else saved a newer
    version in between, so nobody's work is overwritten silently."""
    current = (
        Application.objects.select_for_update()
        .select_related("call", "initiative__lead_organization")
        .get(pk=application.pk)
    )
    _require(permissions.can_edit_application(actor, current))
    # The same person's own later save (another tab, an autosave still on its way) is not a
    # conflict; someone else's is.
    if (
        version is not None
        and version != current.version
        and current.last_saved_by_id not in (None, actor.pk)
    ):
        raise ValidationError(
            _(
                "Someone else saved this application after you opened it. Copy your latest text, "
                "reload the page, and add it again."
            )
        )
    if answers is not None:
        current.answers = _clean_answers(current, answers)
    if support_requested is not None:
        offered = set(current.call.support_offered)
        current.support_requested = [s for s in support_requested if s in offered]
    if initiative_data:
        initiative_update(initiative=current.initiative, data=initiative_data)
    if deliverables is not None:
        current.deliverables.all().delete()
        for row in deliverables:
            deliverable = PlannedDeliverable(application=current, **row)
            deliverable.full_clean(exclude=["application"])
            deliverable.save()
    current.version += 1
    current.last_saved_by = actor
    current.save()
    return current


def _transition(*, actor, application: Application, target: str, role: str) -> str:
    if not workflow.allowed(application.status, target, role):
        raise ValidationError(_("This application can no longer be changed this way."))
    old, application.status = application.status, target
    return old


@transaction.atomic
def application_submit(*, actor, application: Application, now=None) -> Application:
    """Submit the expression of interest or the full application: before the deadline
    (checked here, whatever the browser says) and only when every eligibility rule passes."""
    current = (
        Application.objects.select_for_update()
        .select_related("call", "initiative__lead_organization")
        .get(pk=application.pk)
    )
    _require(permissions.can_edit_application(actor, current))
    stage = current.stage
    now = now or timezone.now()
    if not current.call.is_accepting(stage, now=now):
        raise ValidationError(
            _("The deadline has passed: %(deadline)s (%(zone)s).")
            % {
                "deadline": timezone.localtime(
                    current.call.deadline(stage), _zone(current.call)
                ).strftime("%Y-%m-%d %H:%M"),
                "zone": current.call.time_zone,
            }
        )
    found = eligibility.problems(current, stage)
    if found:
        raise ValidationError([str(problem.message) for problem in found])
    target = ApplicationStatus.EOI_SUBMITTED if stage == Stage.EOI else ApplicationStatus.SUBMITTED
    old = _transition(actor=actor, application=current, target=target, role=workflow.APPLICANT)
    if stage == Stage.EOI:
        current.eoi_submitted_at = now
    else:
        current.submitted_at = now
        initiative_set_status(
            actor=actor, initiative=current.initiative, status=InitiativeStatus.SUBMITTED
        )
    current.save()
    audit_record(
        actor=actor, action="application.submit", target=current, changes={"status": [old, target]}
    )
    notify(
        recipients=_staff(),
        kind="application_submitted",
        context={"initiative": current.initiative.title, "call": current.call.title},
        url=current.get_absolute_url(),
    )
    return current


def _zone(call: Call):
    import zoneinfo

    return zoneinfo.ZoneInfo(call.time_zone)


@transaction.atomic
def application_withdraw(*, actor, application: Application, reason: str = "") -> Application:
    current = (
        Application.objects.select_for_update().select_related("initiative").get(pk=application.pk)
    )
    _require(permissions.can_withdraw_application(actor, current))
    old = _transition(
        actor=actor,
        application=current,
        target=ApplicationStatus.WITHDRAWN,
        role=workflow.APPLICANT,
    )
    current.save()
    initiative_set_status(
        actor=actor, initiative=current.initiative, status=InitiativeStatus.WITHDRAWN, reason=reason
    )
    audit_record(
        actor=actor,
        action="application.withdraw",
        target=current,
        changes={"status": [old, current.status]},
        reason=reason,
    )
    return current


@transaction.atomic
def application_shortlist(
    *, actor, application: Application, shortlisted: bool, reason: str = ""
) -> Application:
    """The secretariat's first validation of an expression of interest: shortlisted teams
    go on to the full application."""
    current = (
        Application.objects.select_for_update()
        .select_related("initiative", "call")
        .get(pk=application.pk)
    )
    _require(permissions.can_manage_calls(actor))
    target = ApplicationStatus.DRAFT if shortlisted else ApplicationStatus.NOT_SHORTLISTED
    if not shortlisted and not reason.strip():
        raise ValidationError(_("Say why the expression of interest is not shortlisted."))
    old = _transition(actor=actor, application=current, target=target, role=workflow.STAFF)
    current.decision_reason = reason.strip()
    current.save()
    audit_record(
        actor=actor,
        action="application.shortlist",
        target=current,
        changes={"status": [old, target]},
        reason=reason,
    )
    notify(
        recipients=_team(current),
        kind="application_shortlisted" if shortlisted else "application_not_shortlisted",
        context={
            "initiative": current.initiative.title,
            "call": current.call.title,
            "reason": reason.strip(),
        },
        url=current.get_absolute_url(),
    )
    return current


@transaction.atomic
def attachment_add(*, actor, application: Application, uploaded) -> Attachment:
    """Attach a document to a draft before the deadline: type checked from its content, size
    limited. The application is locked, so a submission at the same moment cannot slip a
    document into a submitted application."""
    application = (
        Application.objects.select_for_update()
        .select_related("call", "initiative__lead_organization")
        .get(pk=application.pk)
    )
    _require(permissions.can_edit_application(actor, application))
    if not application.call.is_accepting(application.stage):
        raise ValidationError(_("The deadline has passed: documents can no longer be added."))
    content_type = check_upload(uploaded, max_bytes=settings.ATTACHMENT_MAX_BYTES)
    attachment = Attachment(
        application=application,
        file=uploaded,
        name=uploaded.name[:200],
        size=uploaded.size,
        content_type=content_type,
        uploaded_by=actor,
    )
    attachment.save()
    audit_record(
        actor=actor, action="attachment.add", target=application, changes={"file": attachment.name}
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor, attachment: Attachment) -> None:
    _require(permissions.can_edit_application(actor, attachment.application))
    audit_record(
        actor=actor,
        action="attachment.remove",
        target=attachment.application,
        changes={"file": attachment.name},
    )
    attachment.file.delete(save=False)
    attachment.delete()


# Review --------------------------------------------------------------------------------------


def _conflicted(call: Call, reviewer, organization) -> bool:
    memberships = reviewer.memberships.filter(status=MembershipStatus.ACTIVE)
    if memberships.filter(organization=organization).exists():
        return True
    if ConflictOfInterest.objects.filter(reviewer=reviewer, organization=organization).exists():
        return True
    if call.conflict_rule == ConflictRule.COUNTRY:
        return memberships.filter(organization__country=organization.country).exists()
    return False


@transaction.atomic
def review_assign(*, actor, application: Application, reviewer) -> Review:
    """Staff assign a reviewer to a submitted application, never one in conflict with it."""
    current = (
        Application.objects.select_for_update()
        .select_related("call", "initiative__lead_organization")
        .get(pk=application.pk)
    )
    _require(permissions.can_assign_reviewers(actor, current))
    if not permissions.can_be_reviewer(reviewer):
        raise ValidationError(_("%(name)s is not a reviewer.") % {"name": reviewer})
    if _conflicted(current.call, reviewer, current.initiative.lead_organization):
        raise ValidationError(
            _("%(name)s has a conflict of interest with this application.") % {"name": reviewer}
        )
    try:
        with transaction.atomic():
            review = Review.objects.create(
                application=current, reviewer=reviewer, assigned_by=actor
            )
    except IntegrityError as error:
        raise ValidationError(
            _("%(name)s already reviews this application.") % {"name": reviewer}
        ) from error
    audit_record(actor=actor, action="review.assign", target=review)
    notify(
        recipients=[reviewer],
        kind="review_assigned",
        context={"initiative": current.initiative.title, "call": current.call.title},
        url=review.get_absolute_url(),
    )
    return review


@transaction.atomic
def reviews_auto_assign(*, actor, call: Call) -> int:
    """Give every submitted application the call's number of reviewers, choosing those with
    the fewest reviews in this call first and skipping anyone in conflict. Two runs on the
    same call wait for each other, so the second sees the first one's reviews."""
    _require(permissions.can_manage_calls(actor))
    call = Call.objects.select_for_update().get(pk=call.pk)
    reviewers = list(
        User.objects.filter(is_active=True, groups__name=PlatformRole.REVIEWER)
        .distinct()
        .order_by("pk")
    )
    load = Counter(
        dict(
            Review.objects.filter(application__call=call)
            .values_list("reviewer")
            .annotate(n=Count("pk"))
            .values_list("reviewer", "n")
        )
    )
    applications = (
        Application.objects.filter(call=call, status=ApplicationStatus.SUBMITTED)
        .select_related("initiative__lead_organization")
        .annotate(active=Count("reviews", filter=~Q(reviews__status=ReviewStatus.CONFLICT)))
        .order_by("submitted_at", "pk")
    )
    assigned = 0
    for application in applications:
        taken = set(application.reviews.values_list("reviewer_id", flat=True))
        needed = call.reviewers_per_application - application.active
        for reviewer in sorted(reviewers, key=lambda r: (load[r.pk], r.pk)):
            if needed <= 0:
                break
            if reviewer.pk in taken or _conflicted(
                call, reviewer, application.initiative.lead_organization
            ):
                continue
            review_assign(actor=actor, application=application, reviewer=reviewer)
            load[reviewer.pk] += 1
            needed -= 1
            assigned += 1
    return assigned


@transaction.atomic
def review_declare_conflict(*, actor, review: Review, note: str = "") -> Review:
    """A reviewer who finds a conflict steps aside; staff are told to assign someone else."""
    current = (
        Review.objects.select_for_update()
        .select_related("application__initiative__lead_organization", "application__call")
        .get(pk=review.pk)
    )
    _require(current.reviewer_id == actor.pk and current.status == ReviewStatus.ASSIGNED)
    current.status = ReviewStatus.CONFLICT
    current.save(update_fields=["status", "updated_at"])
    ConflictOfInterest.objects.get_or_create(
        reviewer=actor,
        organization=current.application.initiative.lead_organization,
        defaults={"note": note},
    )
    audit_record(actor=actor, action="review.conflict", target=current, reason=note)
    notify(
        recipients=_staff(),
        kind="review_conflict",
        context={"initiative": current.application.initiative.title, "reviewer": str(actor)},
        url=current.application.get_absolute_url(),
    )
    return current


@transaction.atomic
def review_save(
    *,
    actor,
    review: Review,
    scores: dict[int, tuple[int | None, str]],
    recommendation: str = "",
    comment: str = "",
    submit: bool = False,
) -> Review:
    """A reviewer scores each criterion from 0 to 5 with a comment. A submitted review is
    complete and final."""
    current = (
        Review.objects.select_for_update().select_related("application__call").get(pk=review.pk)
    )
    _require(permissions.can_edit_review(actor, current))
    criteria = {c.pk: c for c in current.application.call.criteria.all()}
    errors = {}
    for criterion_id, (score, _comment) in scores.items():
        if criterion_id not in criteria:
            raise PermissionDenied
        if score is None:
            continue
        if not SCORE_MIN <= score <= SCORE_MAX:
            errors[f"score_{criterion_id}"] = _("Give a score from %(min)s to %(max)s.") % {
                "min": SCORE_MIN,
                "max": SCORE_MAX,
            }
    if recommendation and recommendation not in Recommendation.values:
        errors["recommendation"] = _("Choose a recommendation.")
    if submit:
        if any(scores.get(pk, (None, ""))[0] is None for pk in criteria):
            errors["__all__"] = _("Score every criterion before you submit.")
        if not recommendation:
            errors["recommendation"] = _("Choose a recommendation.")
    if errors:
        raise ValidationError(errors)
    for criterion_id, (score, text) in scores.items():
        if score is None:
            Score.objects.filter(review=current, criterion_id=criterion_id).delete()
            continue
        Score.objects.update_or_create(
            review=current, criterion_id=criterion_id, defaults={"score": score, "comment": text}
        )
    current.recommendation = recommendation
    current.comment = comment
    if submit:
        current.status = ReviewStatus.SUBMITTED
        current.submitted_at = timezone.now()
    current.save()
    if submit:
        audit_record(
            actor=actor,
            action="review.submit",
            target=current,
            changes={
                "recommendation": recommendation,
                "scores": {criteria[k].key: v[0] for k, v in scores.items()},
            },
        )
    return current


# Decisions -----------------------------------------------------------------------------------

DECISION_TO_INITIATIVE = {
    Decision.LABELLED: InitiativeStatus.LABELLED,
    Decision.ACCOMPANIED: InitiativeStatus.ACCOMPANIED,
    Decision.DECLINED: InitiativeStatus.DECLINED,
}


@transaction.atomic
def application_decide(
    *, actor, application: Application, decision: str, reason: str
) -> Application:
    """The secretariat grants the HUB label, accompanies, or declines, always with a reason.
    Two people deciding at once: the second is told it is already decided."""
    current = (
        Application.objects.select_for_update()
        .select_related("call", "initiative__lead_organization")
        .get(pk=application.pk)
    )
    if not permissions.can_manage_calls(actor):
        raise PermissionDenied
    if current.status in DECIDED_STATUSES:
        raise ValidationError(_("This application has already been decided."))
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose a decision.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    old = _transition(actor=actor, application=current, target=decision, role=workflow.STAFF)
    current.decided_at = timezone.now()
    current.decision_reason = reason.strip()
    current.save()
    initiative_set_status(
        actor=actor,
        initiative=current.initiative,
        status=DECISION_TO_INITIATIVE[decision],
        reason=reason,
    )
    audit_record(
        actor=actor,
        action="application.decide",
        target=current,
        changes={"status": [old, decision]},
        reason=reason.strip(),
    )
    notify(
        recipients=_team(current),
        kind=f"application_{decision}",
        context={
            "initiative": current.initiative.title,
            "call": current.call.title,
            "reason": reason.strip(),
        },
        url=current.initiative.get_absolute_url()
        if decision != Decision.DECLINED
        else current.get_absolute_url(),
    )
    return current


def deadline_in_zone(call: Call, stage: str) -> datetime.datetime:
    return timezone.localtime(call.deadline(stage), _zone(call))
