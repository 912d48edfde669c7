"""Build calls, applications and reviews through the services, as users would."""

import datetime

from django.utils import timezone

from local4action.accounts.tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from local4action.calls import services
from local4action.calls.choices import CallStatus
from local4action.calls.models import Application, Call, Review
from local4action.core.models import Goal


def make_call(*, staff=None, two_stages=False, status=CallStatus.OPEN, **fields) -> Call:
    """A call open now, closing in 30 days (an expression-of-interest stage closing in 10)."""
    staff = staff or UserFactory(roles={"secretariat"})
    now = timezone.now()
    data = {
        "title": "Local4Action HUBs 2027",
        "description": "<p>Call for <strong>local</strong> action.</p>",
        "time_zone": "Europe/Madrid",
        "opens_at": now - datetime.timedelta(days=1),
        "eoi_closes_at": now + datetime.timedelta(days=10) if two_stages else None,
        "closes_at": now + datetime.timedelta(days=30),
        "eligible_kinds": ["local_government", "regional_government", "lrg_association"],
        "support_offered": ["seed_funding", "expertise"],
        "reviewers_per_application": 2,
        **fields,
    }
    call = services.call_create(actor=staff, data=data)
    if status != CallStatus.DRAFT:
        call = services.call_set_status(actor=staff, call=call, status=CallStatus.OPEN)
    if status in (CallStatus.CLOSED, CallStatus.DECIDED):
        call = services.call_set_status(actor=staff, call=call, status=CallStatus.CLOSED)
    return call


def make_team(organization=None):
    """An approved local government with an admin and an editor."""
    organization = organization or OrganizationFactory()
    admin = MembershipFactory(organization=organization, role="admin").user
    editor = MembershipFactory(organization=organization, role="editor").user
    return organization, admin, editor


def complete_answers(call: Call, stage: str) -> dict:
    return {
        q.key: (True if q.kind == "yes_no" else f"Our answer about {q.key}.")
        for q in call.questions.all()
        if q.stage == stage
    }


def make_draft(
    call: Call, *, editor=None, organization=None, complete=True, title="Participation for all"
) -> Application:
    """A full-stage draft; complete=True fills everything eligibility asks for."""
    if editor is None:
        organization, _, editor = make_team(organization)
    organization = organization or editor.memberships.get().organization
    application = services.application_start(
        actor=editor, call=call, organization=organization, title=title
    )
    if application.stage == "eoi":
        return application
    if complete:
        today = timezone.localdate()
        application = services.application_save_draft(
            actor=editor,
            application=application,
            version=application.version,
            answers=complete_answers(call, "full"),
            initiative_data={
                "summary": "Participatory budgeting with under-represented groups.",
                "start_date": today,
                "end_date": today + datetime.timedelta(days=730),
                "goals": list(Goal.objects.filter(number__in=[11, 16])),
            },
            deliverables=[
                {
                    "title": "Training for ten municipalities",
                    "due_date": today + datetime.timedelta(days=365),
                    "success_criteria": "Ten trained teams",
                }
            ],
        )
    return application


def make_submitted(call: Call, **kwargs) -> Application:
    application = make_draft(call, **kwargs)
    editor = kwargs.get("editor") or application.created_by
    return services.application_submit(actor=editor, application=application)


def make_reviewer(**kwargs):
    return UserFactory(roles={"reviewer"}, **kwargs)


def make_review(
    application: Application,
    *,
    staff,
    reviewer=None,
    scores=None,
    recommendation="labelled",
    submit=True,
) -> Review:
    reviewer = reviewer or make_reviewer()
    review = services.review_assign(actor=staff, application=application, reviewer=reviewer)
    criteria = list(application.call.criteria.all())
    scores = scores if scores is not None else [4] * len(criteria)
    return services.review_save(
        actor=reviewer,
        review=review,
        scores={c.pk: (s, "") for c, s in zip(criteria, scores, strict=True)},
        recommendation=recommendation,
        comment="Solid.",
        submit=submit,
    )
