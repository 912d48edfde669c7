"""The rules of calls, applications, reviews and decisions, as the services enforce them."""

import datetime
import io
import threading
import zoneinfo
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils import timezone, translation
from PIL import Image

from local4action.accounts.tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)
from local4action.calls import selectors, services
from local4action.calls.models import (
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
from local4action.calls.tests.factories import (
    complete_answers,
    make_call,
    make_draft,
    make_review,
    make_reviewer,
    make_submitted,
    make_team,
)
from local4action.core.models import AuditEvent, Goal, Notification
from local4action.core.selectors import notification_render
from local4action.initiatives.models import Initiative

UTC = datetime.UTC
LA_PAZ = zoneinfo.ZoneInfo("America/La_Paz")
CRITERIA_KEYS = ["locally_led", "timeline", "results", "brand", "theme", "communication"]
FULL_QUESTION_KEYS = [
    "locally_led",
    "timeline",
    "results",
    "brand",
    "theme",
    "communication",
    "brand_commitment",
]
EOI_QUESTION_KEYS = ["innovation", "citizens", "inspire"]


# Helpers -------------------------------------------------------------------------------------


def _snapshot(obj) -> dict:
    obj.refresh_from_db()
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _application_state(application: Application) -> dict:
    """Everything a refused write on an application must leave as it was."""
    return {
        "application": _snapshot(application),
        "initiative": _snapshot(application.initiative),
        "goals": sorted(application.initiative.goals.values_list("pk", flat=True)),
        "deliverables": list(application.deliverables.values("title", "due_date")),
        "attachments": application.attachments.count(),
        "reviews": list(application.reviews.values("reviewer_id", "status")),
        "audit": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
    }


def _review_state(review: Review) -> dict:
    return {
        "review": _snapshot(review),
        "scores": list(review.scores.order_by("criterion_id").values("criterion_id", "score")),
        "audit": AuditEvent.objects.count(),
    }


def _pdf_bytes(padding: int = 0) -> bytes:
    """A minimal but well-formed one-page PDF (with a correct cross-reference table)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    if padding:
        out += b"%" + b"x" * padding + b"\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _scores(call: Call, values) -> dict:
    return {c.pk: (v, "") for c, v in zip(call.criteria.all(), values, strict=True)}


def _eoi_ready(call: Call, editor=None, organization=None) -> Application:
    """An expression of interest with everything its first stage asks for."""
    if editor is None:
        organization, _admin, editor = make_team(organization)
    application = make_draft(call, editor=editor)
    return services.application_save_draft(
        actor=editor,
        application=application,
        version=application.version,
        answers=complete_answers(call, "eoi"),
        initiative_data={"summary": "Participatory budgeting with under-represented groups."},
    )


@pytest.fixture
def private_storage():
    """Where attachments are stored (the root conftest points it at a temporary folder)."""
    return Attachment._meta.get_field("file").storage


# Calls ---------------------------------------------------------------------------------------


def test_secretariat_creates_a_draft_call_with_the_six_characteristics_as_criteria(secretariat):
    call = make_call(staff=secretariat, status="draft")
    assert call.status == "draft" and call.created_by == secretariat
    assert [c.key for c in call.criteria.all()] == CRITERIA_KEYS
    assert all(set(c.name) == {"en", "fr", "es"} for c in call.criteria.all())
    assert [q.key for q in call.questions.all()] == FULL_QUESTION_KEYS
    assert {q.stage for q in call.questions.all()} == {"full"}
    event = AuditEvent.objects.get(action="call.create")
    assert (event.actor, event.target) == (secretariat, call)


def test_a_two_stage_call_also_gets_the_expression_of_interest_questions(secretariat):
    call = make_call(staff=secretariat, two_stages=True, status="draft")
    assert [q.key for q in call.questions.filter(stage="eoi")] == EOI_QUESTION_KEYS
    assert [q.key for q in call.questions.filter(stage="full")] == FULL_QUESTION_KEYS


def test_the_call_description_keeps_basic_html_and_loses_scripts(secretariat):
    call = make_call(
        staff=secretariat,
        description='<p>Apply <strong>now</strong><script>alert("x")</script></p>'
        '<a href="javascript:alert(1)" onclick="steal()">link</a>',
    )
    call.refresh_from_db()
    assert "<strong>now</strong>" in call.description
    assert "<script" not in call.description and "alert" not in call.description
    assert "javascript:" not in call.description and "onclick" not in call.description


def test_two_calls_with_the_same_title_get_distinct_addresses(secretariat):
    first = make_call(staff=secretariat, status="draft")
    second = make_call(staff=secretariat, status="draft")
    assert first.slug != second.slug


@pytest.mark.parametrize("who", ["user", "org_admin", "reviewer"])
def test_only_the_secretariat_creates_calls(request, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        make_call(staff=actor, status="draft")
    assert not Call.objects.exists()
    assert not AuditEvent.objects.filter(action="call.create").exists()


@pytest.mark.parametrize(
    "kinds",
    [[], ["partner"], ["local_government", "secretariat"], ["city"]],
    ids=["none", "partner", "secretariat-mixed", "unknown"],
)
def test_eligible_kinds_must_be_local_or_regional_governments(secretariat, kinds):
    with pytest.raises(ValidationError) as error:
        make_call(staff=secretariat, status="draft", eligible_kinds=kinds)
    assert "eligible_kinds" in error.value.message_dict
    assert not Call.objects.exists()
    assert not Criterion.objects.exists() and not Question.objects.exists()
    assert not AuditEvent.objects.filter(action="call.create").exists()


@pytest.mark.parametrize(
    "eoi_days", [-2, 30, 31], ids=["before-opening", "at-closing", "after-closing"]
)
def test_the_expression_of_interest_stage_closes_inside_the_call(secretariat, eoi_days):
    now = timezone.now()
    with pytest.raises(ValidationError):
        make_call(
            staff=secretariat,
            status="draft",
            opens_at=now - datetime.timedelta(days=1),
            eoi_closes_at=now + datetime.timedelta(days=eoi_days),
            closes_at=now + datetime.timedelta(days=30),
        )
    assert not Call.objects.exists()


def test_the_database_refuses_an_expression_of_interest_stage_outside_the_call(secretariat):
    call = make_call(staff=secretariat, two_stages=True, status="draft")
    with pytest.raises(IntegrityError), transaction.atomic():
        Call.objects.filter(pk=call.pk).update(
            eoi_closes_at=call.closes_at + datetime.timedelta(days=1)
        )
    assert _snapshot(call)["eoi_closes_at"] < call.closes_at


def test_a_call_closes_after_it_opens(secretariat):
    now = timezone.now()
    with pytest.raises(ValidationError):
        make_call(
            staff=secretariat,
            status="draft",
            opens_at=now,
            closes_at=now - datetime.timedelta(days=1),
        )
    assert not Call.objects.exists()


def test_an_unknown_time_zone_is_refused(secretariat):
    with pytest.raises(ValidationError) as error:
        make_call(staff=secretariat, status="draft", time_zone="Mars/Olympus")
    assert "time_zone" in error.value.message_dict
    assert not Call.objects.exists()


def test_updating_a_call_records_what_changed(secretariat):
    call = make_call(staff=secretariat, status="draft")
    services.call_update(
        actor=secretariat,
        call=call,
        data={"title": "HUBs 2028", "description": "<p>New<script>x()</script></p>"},
    )
    state = _snapshot(call)
    assert state["title"] == "HUBs 2028" and "<script" not in state["description"]
    event = AuditEvent.objects.get(action="call.update")
    assert event.changes["title"] == ["Local4Action HUBs 2027", "HUBs 2028"]


def test_only_the_secretariat_updates_a_call(secretariat, org_admin):
    call = make_call(staff=secretariat, status="draft")
    before, events = _snapshot(call), AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.call_update(actor=org_admin, call=call, data={"title": "Mine"})
    assert _snapshot(call) == before
    assert AuditEvent.objects.count() == events


def _call_in(status: str, staff) -> Call:
    if status == "decided":
        call = make_call(staff=staff, status="closed")
        return services.call_set_status(actor=staff, call=call, status="decided")
    return make_call(staff=staff, status=status)


@pytest.mark.parametrize(
    "old,new,allowed",
    [
        ("draft", "open", True),
        ("draft", "closed", False),
        ("draft", "decided", False),
        ("open", "closed", True),
        ("open", "draft", False),
        ("open", "decided", False),
        ("closed", "open", True),
        ("closed", "decided", True),
        ("closed", "draft", False),
        ("decided", "open", False),
        ("decided", "closed", False),
        ("decided", "draft", False),
    ],
)
def test_a_call_moves_only_along_the_allowed_status_changes(secretariat, old, new, allowed):
    call = _call_in(old, secretariat)
    before, events = _snapshot(call), AuditEvent.objects.count()
    if allowed:
        services.call_set_status(actor=secretariat, call=call, status=new)
        assert _snapshot(call)["status"] == new
        event = AuditEvent.objects.filter(action="call.status").first()
        assert event.changes == {"status": [old, new]}
    else:
        with pytest.raises(ValidationError):
            services.call_set_status(actor=secretariat, call=call, status=new)
        assert _snapshot(call) == before
        assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("status", ["bogus", "", None])
def test_an_unknown_call_status_is_refused_cleanly(secretariat, status):
    call = make_call(staff=secretariat)
    before = _snapshot(call)
    with pytest.raises(ValidationError):
        services.call_set_status(actor=secretariat, call=call, status=status)
    assert _snapshot(call) == before


@pytest.mark.parametrize("who", ["org_admin", "reviewer", "user"])
def test_only_the_secretariat_opens_and_closes_calls(request, secretariat, who):
    call = make_call(staff=secretariat, status="draft")
    actor = request.getfixturevalue(who)
    before, events = _snapshot(call), AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.call_set_status(actor=actor, call=call, status="open")
    with pytest.raises(PermissionDenied):
        services.call_publish_results(actor=actor, call=call)
    assert _snapshot(call) == before
    assert AuditEvent.objects.count() == events


def test_a_call_is_decided_only_once_every_submitted_application_is(call, secretariat):
    application = make_submitted(call)
    services.call_set_status(actor=secretariat, call=call, status="closed")
    before, events = _snapshot(call), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        services.call_set_status(actor=secretariat, call=call, status="decided")
    assert "not decided yet" in error.value.messages[0]
    assert _snapshot(call) == before
    assert AuditEvent.objects.count() == events
    services.application_decide(
        actor=secretariat, application=application, decision="accompanied", reason="Promising"
    )
    services.call_set_status(actor=secretariat, call=call, status="decided")
    assert _snapshot(call)["status"] == "decided"


def test_results_are_published_only_once_the_call_is_decided(secretariat):
    call = make_call(staff=secretariat, status="closed")
    before = _snapshot(call)
    with pytest.raises(ValidationError):
        services.call_publish_results(actor=secretariat, call=call)
    assert _snapshot(call) == before
    services.call_set_status(actor=secretariat, call=call, status="decided")
    services.call_publish_results(actor=secretariat, call=call)
    assert _snapshot(call)["results_published"] is True
    assert AuditEvent.objects.filter(action="call.publish_results").count() == 1


# Starting an application ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_an_editor_or_admin_starts_an_application_with_a_draft_initiative(call, role):
    organization, admin, editor = make_team()
    actor = editor if role == "editor" else admin
    application = services.application_start(
        actor=actor, call=call, organization=organization, title="  Participation for all "
    )
    assert application.status == "draft" and application.created_by == actor
    initiative = application.initiative
    assert initiative.title == "Participation for all"
    assert (initiative.status, initiative.lead_organization) == ("draft", organization)
    assert AuditEvent.objects.filter(action="application.start", actor=actor).count() == 1
    assert AuditEvent.objects.filter(action="initiative.create", actor=actor).count() == 1


def test_a_two_stage_call_starts_with_an_expression_of_interest(two_stage_call, team):
    organization, _admin, editor = team
    application = services.application_start(
        actor=editor, call=two_stage_call, organization=organization, title="Youth dialogue"
    )
    assert application.status == "eoi_draft" and application.stage == "eoi"


def _nothing_started():
    return (
        not Application.objects.exists()
        and not Initiative.objects.exists()
        and not AuditEvent.objects.filter(action__startswith="application.").exists()
    )


@pytest.mark.parametrize("who", ["org_member", "user", "secretariat", "reviewer"])
def test_only_editors_and_admins_of_the_organization_apply(request, call, organization, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.application_start(
            actor=actor, call=call, organization=organization, title="Not mine"
        )
    assert _nothing_started()


def test_a_requested_membership_does_not_let_you_apply(call, organization):
    requested = MembershipFactory(organization=organization, role="editor", status="requested").user
    with pytest.raises(PermissionDenied):
        services.application_start(
            actor=requested, call=call, organization=organization, title="Too early"
        )
    assert _nothing_started()


def test_an_organization_waiting_for_approval_cannot_apply(call):
    organization, _admin, editor = make_team(OrganizationFactory(status="pending"))
    with pytest.raises(PermissionDenied):
        services.application_start(
            actor=editor, call=call, organization=organization, title="Too early"
        )
    assert _nothing_started()


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_a_call_that_is_not_open_takes_no_application(secretariat, team, status):
    call = make_call(staff=secretariat, status=status)
    organization, _admin, editor = team
    with pytest.raises(PermissionDenied):
        services.application_start(actor=editor, call=call, organization=organization, title="X")
    assert _nothing_started()


def test_an_open_call_takes_applications_only_between_its_dates(secretariat, team):
    organization, _admin, editor = team
    now = timezone.now()
    not_yet = make_call(
        staff=secretariat,
        opens_at=now + datetime.timedelta(days=2),
        closes_at=now + datetime.timedelta(days=30),
    )
    with pytest.raises(ValidationError):
        services.application_start(actor=editor, call=not_yet, organization=organization, title="X")
    first_stage_over = make_call(
        staff=secretariat,
        opens_at=now - datetime.timedelta(days=20),
        eoi_closes_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=30),
    )
    with pytest.raises(ValidationError):
        services.application_start(
            actor=editor, call=first_stage_over, organization=organization, title="X"
        )
    assert _nothing_started()


def test_a_partner_organization_cannot_lead_an_initiative(call):
    organization, _admin, editor = make_team(OrganizationFactory(kind="partner"))
    with pytest.raises(ValidationError) as error:
        services.application_start(
            actor=editor, call=call, organization=organization, title="Funded by us"
        )
    assert "local and regional governments" in error.value.messages[0]
    assert _nothing_started()


def test_an_application_needs_a_title(call, team):
    organization, _admin, editor = team
    with pytest.raises(ValidationError) as error:
        services.application_start(actor=editor, call=call, organization=organization, title=" ")
    assert "title" in error.value.message_dict
    assert _nothing_started()


# Saving a draft ------------------------------------------------------------------------------


def test_saving_a_draft_keeps_known_answers_and_bumps_the_version(call, team):
    _organization, _admin, editor = team
    application = make_draft(call, editor=editor, complete=False)
    saved = services.application_save_draft(
        actor=editor,
        application=application,
        version=1,
        answers={
            "locally_led": "The city council, with neighbourhood assemblies.",
            "brand_commitment": "on",
            "invented_question": "Sneaked in",
        },
    )
    assert saved.version == 2
    state = _snapshot(application)
    assert state["answers"] == {
        "locally_led": "The city council, with neighbourhood assemblies.",
        "brand_commitment": True,
    }
    services.application_save_draft(
        actor=editor, application=application, version=2, answers={"timeline": "Announced."}
    )
    assert set(_snapshot(application)["answers"]) == {"locally_led", "brand_commitment", "timeline"}


def test_a_stale_version_is_refused_and_nothing_is_overwritten(call, team):
    organization, admin, editor = team
    application = make_draft(call, editor=editor, complete=False)
    opened_at = application.version
    services.application_save_draft(
        actor=admin,
        application=application,
        version=opened_at,
        answers={"theme": "The admin's text"},
        initiative_data={"summary": "The admin's summary"},
    )
    before = _application_state(application)
    with pytest.raises(ValidationError) as error:
        services.application_save_draft(
            actor=editor,
            application=application,
            version=opened_at,
            answers={"theme": "The editor's older text"},
            initiative_data={"summary": "The editor's summary"},
            deliverables=[{"title": "Lost", "due_date": datetime.date(2027, 1, 1)}],
        )
    assert "Someone else saved" in error.value.messages[0]
    assert _application_state(application) == before
    assert before["application"]["answers"]["theme"] == "The admin's text"
    assert before["initiative"]["summary"] == "The admin's summary"


def test_your_own_later_save_is_not_a_conflict(call, team):
    _organization, _admin, editor = team
    application = make_draft(call, editor=editor, complete=False)
    opened_at = application.version
    services.application_save_draft(
        actor=editor, application=application, version=opened_at, answers={"theme": "First"}
    )
    # The same person, from a second tab opened at the same version.
    services.application_save_draft(
        actor=editor, application=application, version=opened_at, answers={"brand": "Second"}
    )
    state = _snapshot(application)
    assert (state["answers"]["theme"], state["answers"]["brand"]) == ("First", "Second")


def test_a_too_long_answer_is_refused_and_nothing_is_saved(call, team):
    _organization, _admin, editor = team
    application = make_draft(call, editor=editor)
    before = _application_state(application)
    with pytest.raises(ValidationError) as error:
        services.application_save_draft(
            actor=editor,
            application=application,
            version=application.version,
            answers={"theme": "x" * (services.ANSWER_MAX_CHARS + 1), "brand": "fine"},
            initiative_data={"summary": "Changed"},
        )
    assert "theme" in error.value.message_dict
    assert _application_state(application) == before


def test_support_requested_is_limited_to_what_the_call_offers(call, team):
    _organization, _admin, editor = team
    application = make_draft(call, editor=editor, complete=False)
    services.application_save_draft(
        actor=editor,
        application=application,
        version=application.version,
        support_requested=["seed_funding", "visibility", "a-private-jet"],
    )
    assert _snapshot(application)["support_requested"] == ["seed_funding"]


def test_saving_deliverables_replaces_the_previous_ones(call, team):
    _organization, _admin, editor = team
    application = make_draft(call, editor=editor)
    assert list(application.deliverables.values_list("title", flat=True)) == [
        "Training for ten municipalities"
    ]
    services.application_save_draft(
        actor=editor,
        application=application,
        version=application.version,
        deliverables=[
            {"title": "Charter of values", "due_date": datetime.date(2028, 3, 1)},
            {"title": "Manifesto", "due_date": datetime.date(2027, 9, 1)},
        ],
    )
    assert list(application.deliverables.values_list("title", flat=True)) == [
        "Manifesto",
        "Charter of values",
    ]
    assert PlannedDeliverable.objects.count() == 2


def test_an_invalid_deliverable_saves_nothing_at_all(call, team):
    _organization, _admin, editor = team
    application = make_draft(call, editor=editor)
    before = _application_state(application)
    with pytest.raises(ValidationError):
        services.application_save_draft(
            actor=editor,
            application=application,
            version=application.version,
            answers={"theme": "Changed"},
            initiative_data={"summary": "Changed"},
            deliverables=[{"title": "", "due_date": datetime.date(2027, 9, 1)}],
        )
    assert _application_state(application) == before


@pytest.mark.parametrize("who", ["member", "outsider", "secretariat", "reviewer"])
def test_only_the_team_editors_save_a_draft(call, team, secretariat, who):
    organization, _admin, editor = team
    application = make_draft(call, editor=editor)
    actor = {
        "member": lambda: MembershipFactory(organization=organization, role="member").user,
        "outsider": lambda: MembershipFactory(role="admin").user,
        "secretariat": lambda: secretariat,
        "reviewer": make_reviewer,
    }[who]()
    before = _application_state(application)
    with pytest.raises(PermissionDenied):
        services.application_save_draft(
            actor=actor,
            application=application,
            version=application.version,
            answers={"theme": "Hijacked"},
            initiative_data={"summary": "Hijacked"},
        )
    assert _application_state(application) == before


# Submitting ----------------------------------------------------------------------------------


LA_PAZ_DEADLINE = datetime.datetime(2027, 5, 31, 23, 59, tzinfo=LA_PAZ)


@pytest.fixture
def la_paz_draft(secretariat):
    """A complete draft in a call whose deadline is 31 May 2027, 23:59 in La Paz (UTC-4).

    The draft is started while the call is open today, then the deadline is set, so the test
    does not depend on the date it runs."""
    call = make_call(staff=secretariat, time_zone="America/La_Paz")
    application = make_draft(call)
    services.call_update(
        actor=secretariat,
        call=call,
        data={
            "opens_at": datetime.datetime(2026, 1, 1, tzinfo=LA_PAZ),
            "closes_at": LA_PAZ_DEADLINE,
        },
    )
    call.refresh_from_db()
    assert call.closes_at == datetime.datetime(2027, 6, 1, 3, 59, tzinfo=UTC)
    application.refresh_from_db()
    return application


def test_submitting_just_before_the_deadline_in_the_calls_time_zone_succeeds(la_paz_draft):
    now = datetime.datetime(2027, 6, 1, 3, 30, tzinfo=UTC)  # 23:30 on 31 May in La Paz
    services.application_submit(actor=la_paz_draft.created_by, application=la_paz_draft, now=now)
    state = _snapshot(la_paz_draft)
    assert (state["status"], state["submitted_at"]) == ("submitted", now)


def test_submitting_after_the_deadline_in_the_calls_time_zone_fails(la_paz_draft):
    now = datetime.datetime(2027, 6, 1, 4, 30, tzinfo=UTC)  # 00:30 on 1 June in La Paz
    before = _application_state(la_paz_draft)
    with pytest.raises(ValidationError) as error:
        services.application_submit(
            actor=la_paz_draft.created_by, application=la_paz_draft, now=now
        )
    message = error.value.messages[0]
    assert "2027-05-31 23:59" in message and "America/La_Paz" in message
    assert _application_state(la_paz_draft) == before


def test_submitting_moves_the_application_and_initiative_and_tells_the_staff(call, secretariat):
    application = make_draft(call)
    editor = application.created_by
    now = timezone.now()
    services.application_submit(actor=editor, application=application, now=now)
    state = _application_state(application)
    assert state["application"]["status"] == "submitted"
    assert state["application"]["submitted_at"] == now
    assert state["initiative"]["status"] == "submitted"
    event = AuditEvent.objects.get(action="application.submit")
    assert event.actor == editor and event.changes == {"status": ["draft", "submitted"]}
    notification = Notification.objects.get(kind="application_submitted")
    assert notification.recipient == secretariat
    assert notification.context["initiative"] == "Participation for all"


def test_a_missing_required_answer_stops_the_submission(call, team):
    _organization, _admin, editor = team
    application = make_draft(call, editor=editor)
    services.application_save_draft(
        actor=editor, application=application, version=application.version, answers={"brand": ""}
    )
    before = _application_state(application)
    with pytest.raises(ValidationError) as error:
        services.application_submit(actor=editor, application=application)
    brand = Question.objects.get(call=call, key="brand").label
    assert error.value.messages == [f"Required answers missing: {brand}"]
    assert _application_state(application) == before


def test_every_failing_eligibility_rule_is_reported_at_once(call, team):
    _organization, _admin, editor = team
    application = make_draft(call, editor=editor, complete=False)
    before = _application_state(application)
    with pytest.raises(ValidationError) as error:
        services.application_submit(actor=editor, application=application)
    messages = " | ".join(error.value.messages)
    for part in ("Title and summary", "Required answers", "Timeline", "SDGs", "Deliverables"):
        assert part in messages
    assert _application_state(application) == before


@pytest.mark.parametrize("who", ["member", "outsider", "secretariat"])
def test_only_the_team_editors_submit(call, team, secretariat, who):
    organization, _admin, editor = team
    application = make_draft(call, editor=editor)
    actor = {
        "member": lambda: MembershipFactory(organization=organization, role="member").user,
        "outsider": lambda: MembershipFactory(role="admin").user,
        "secretariat": lambda: secretariat,
    }[who]()
    before = _application_state(application)
    with pytest.raises(PermissionDenied):
        services.application_submit(actor=actor, application=application)
    assert _application_state(application) == before


def test_a_submitted_application_can_no_longer_be_edited(call, team):
    _organization, admin, editor = team
    application = make_submitted(call, editor=editor)
    before = _application_state(application)
    for actor in (editor, admin):
        with pytest.raises(PermissionDenied):
            services.application_save_draft(
                actor=actor,
                application=application,
                version=application.version,
                answers={"theme": "Second thoughts"},
            )
        with pytest.raises(PermissionDenied):
            services.application_submit(actor=actor, application=application)
        with pytest.raises(PermissionDenied):
            services.attachment_add(
                actor=actor,
                application=application,
                uploaded=SimpleUploadedFile("late.pdf", _pdf_bytes()),
            )
    assert _application_state(application) == before


def test_the_team_may_withdraw_and_the_initiative_follows(call, team):
    organization, _admin, editor = team
    application = make_submitted(call, editor=editor)
    member = MembershipFactory(organization=organization, role="member").user
    before = _application_state(application)
    with pytest.raises(PermissionDenied):
        services.application_withdraw(actor=member, application=application, reason="No")
    assert _application_state(application) == before
    services.application_withdraw(actor=editor, application=application, reason="No capacity")
    state = _application_state(application)
    assert state["application"]["status"] == "withdrawn"
    assert state["initiative"]["status"] == "withdrawn"
    assert AuditEvent.objects.get(action="application.withdraw").reason == "No capacity"


# Two stages ----------------------------------------------------------------------------------


def test_expression_of_interest_then_shortlisting_opens_the_full_application(
    two_stage_call, secretariat
):
    organization, admin, editor = make_team()
    member = MembershipFactory(organization=organization, role="member").user
    application = _eoi_ready(two_stage_call, editor=editor)
    services.application_submit(actor=editor, application=application)
    state = _snapshot(application)
    assert state["status"] == "eoi_submitted" and state["eoi_submitted_at"] is not None
    assert state["submitted_at"] is None
    assert _snapshot(application.initiative)["status"] == "draft"
    assert Notification.objects.get(kind="application_submitted").recipient == secretariat

    services.application_shortlist(actor=secretariat, application=application, shortlisted=True)
    application.refresh_from_db()
    assert (application.status, application.stage) == ("draft", "full")
    told = Notification.objects.filter(kind="application_shortlisted")
    assert {n.recipient for n in told} == {admin, editor}
    assert member not in {n.recipient for n in told}
    event = AuditEvent.objects.get(action="application.shortlist")
    assert event.changes == {"status": ["eoi_submitted", "draft"]}

    # The team now completes the second stage and submits it.
    services.application_save_draft(
        actor=editor,
        application=application,
        version=application.version,
        answers=complete_answers(two_stage_call, "full"),
        initiative_data={
            "start_date": datetime.date(2027, 1, 1),
            "end_date": datetime.date(2028, 12, 31),
            "goals": list(Goal.objects.filter(number__in=[4, 17])),
        },
        deliverables=[{"title": "Youth forum", "due_date": datetime.date(2027, 10, 1)}],
    )
    services.application_submit(actor=editor, application=application)
    assert _snapshot(application)["status"] == "submitted"


def test_an_expression_of_interest_needs_its_own_answers_and_a_summary(two_stage_call, team):
    _organization, _admin, editor = team
    application = make_draft(two_stage_call, editor=editor)
    before = _application_state(application)
    with pytest.raises(ValidationError) as error:
        services.application_submit(actor=editor, application=application)
    messages = " | ".join(error.value.messages)
    assert "Title and summary" in messages and "Required answers" in messages
    assert "Timeline" not in messages and "Deliverables" not in messages
    assert _application_state(application) == before


def test_not_shortlisting_needs_a_reason_that_the_team_receives(two_stage_call, secretariat):
    organization, admin, editor = make_team()
    application = _eoi_ready(two_stage_call, editor=editor)
    services.application_submit(actor=editor, application=application)
    before = _application_state(application)
    with pytest.raises(ValidationError):
        services.application_shortlist(
            actor=secretariat, application=application, shortlisted=False, reason="  "
        )
    assert _application_state(application) == before
    services.application_shortlist(
        actor=secretariat,
        application=application,
        shortlisted=False,
        reason=" Outside the call's theme ",
    )
    state = _snapshot(application)
    assert (state["status"], state["decision_reason"]) == (
        "not_shortlisted",
        "Outside the call's theme",
    )
    told = Notification.objects.filter(kind="application_not_shortlisted")
    assert {n.recipient for n in told} == {admin, editor}
    assert told.first().context["reason"] == "Outside the call's theme"


@pytest.mark.parametrize("who", ["editor", "reviewer", "outsider"])
def test_only_the_secretariat_shortlists(two_stage_call, who):
    _organization, _admin, editor = make_team()
    application = _eoi_ready(two_stage_call, editor=editor)
    services.application_submit(actor=editor, application=application)
    actor = {
        "editor": lambda: editor,
        "reviewer": make_reviewer,
        "outsider": lambda: MembershipFactory(role="admin").user,
    }[who]()
    before = _application_state(application)
    with pytest.raises(PermissionDenied):
        services.application_shortlist(actor=actor, application=application, shortlisted=True)
    assert _application_state(application) == before


def test_only_a_submitted_expression_of_interest_is_shortlisted(two_stage_call, secretariat):
    application = _eoi_ready(two_stage_call)
    before = _application_state(application)
    with pytest.raises(ValidationError):
        services.application_shortlist(actor=secretariat, application=application, shortlisted=True)
    assert _application_state(application) == before


def test_an_expression_of_interest_after_its_own_deadline_is_refused(two_stage_call, secretariat):
    application = _eoi_ready(two_stage_call)
    late = two_stage_call.eoi_closes_at + datetime.timedelta(minutes=1)
    assert late < two_stage_call.closes_at
    before = _application_state(application)
    with pytest.raises(ValidationError) as error:
        services.application_submit(actor=application.created_by, application=application, now=late)
    assert "deadline has passed" in error.value.messages[0]
    assert _application_state(application) == before


# Attachments ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,content,content_type",
    [
        ("budget.pdf", _pdf_bytes(), "application/pdf"),
        ("Map of the district.PNG", _png_bytes(), "image/png"),
    ],
    ids=["pdf", "png"],
)
def test_a_draft_accepts_a_real_pdf_or_image(
    call, team, private_storage, name, content, content_type
):
    _organization, _admin, editor = team
    application = make_draft(call, editor=editor)
    attachment = services.attachment_add(
        actor=editor,
        application=application,
        uploaded=SimpleUploadedFile(name, content, content_type="application/octet-stream"),
    )
    attachment.refresh_from_db()
    assert (attachment.name, attachment.size) == (name, len(content))
    assert attachment.content_type == content_type
    assert attachment.uploaded_by == editor
    assert private_storage.exists(attachment.file.name)
    with private_storage.open(attachment.file.name) as stored:
        assert stored.read() == content
    assert AuditEvent.objects.get(action="attachment.add").changes == {"file": name}


def _stored_files(storage) -> list:
    root = Path(storage.location)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _refused_upload(application, editor, uploaded, private_storage) -> ValidationError:
    before = _application_state(application)
    with pytest.raises(ValidationError) as error:
        services.attachment_add(actor=editor, application=application, uploaded=uploaded)
    assert _application_state(application) == before
    assert not Attachment.objects.exists()
    assert _stored_files(private_storage) == []
    return error.value


def test_a_file_over_the_size_limit_is_refused(call, team, private_storage):
    _organization, _admin, editor = team
    application = make_draft(call, editor=editor)
    uploaded = SimpleUploadedFile("report.pdf", _pdf_bytes())
    uploaded.size = 60 * 1024 * 1024  # what the upload handler reports for a 60 MB file
    error = _refused_upload(application, editor, uploaded, private_storage)
    assert error.messages == ["The file is too large (60.0\xa0MB); the limit is 10.0\xa0MB."]


def test_the_size_limit_comes_from_the_settings(call, team, private_storage, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    _organization, _admin, editor = team
    application = make_draft(call, editor=editor)
    content = _pdf_bytes(padding=1536 * 1024)
    error = _refused_upload(
        application, editor, SimpleUploadedFile("big.pdf", content), private_storage
    )
    assert "(1.5\xa0MB); the limit is 1.0\xa0MB" in error.messages[0]


def test_an_executable_renamed_pdf_is_refused(call, team, private_storage):
    _organization, _admin, editor = team
    application = make_draft(call, editor=editor)
    executable = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
    error = _refused_upload(
        application, editor, SimpleUploadedFile("invoice.pdf", executable), private_storage
    )
    assert "does not match its extension" in error.messages[0]


@pytest.mark.parametrize(
    "name,content",
    [
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 100),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("no-extension", _pdf_bytes()),
        ("report.pdf.exe", _pdf_bytes()),
    ],
)
def test_an_unknown_kind_of_file_is_refused(call, team, private_storage, name, content):
    _organization, _admin, editor = team
    application = make_draft(call, editor=editor)
    error = _refused_upload(application, editor, SimpleUploadedFile(name, content), private_storage)
    assert "This kind of file is not accepted" in error.messages[0]


def test_a_text_file_named_pdf_is_refused(call, team, private_storage):
    _organization, _admin, editor = team
    application = make_draft(call, editor=editor)
    _refused_upload(
        application, editor, SimpleUploadedFile("notes.pdf", b"just some text"), private_storage
    )


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_only_the_team_editors_attach_files(call, team, private_storage, who):
    organization, _admin, editor = team
    application = make_draft(call, editor=editor)
    actor = (
        MembershipFactory(organization=organization, role="member").user
        if who == "member"
        else MembershipFactory(role="admin").user
    )
    before = _application_state(application)
    with pytest.raises(PermissionDenied):
        services.attachment_add(
            actor=actor,
            application=application,
            uploaded=SimpleUploadedFile("budget.pdf", _pdf_bytes()),
        )
    assert _application_state(application) == before


def test_no_document_is_added_after_the_deadline(call, team, private_storage):
    _organization, _admin, editor = team
    application = make_draft(call, editor=editor)
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    before = _application_state(application)
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            actor=editor,
            application=application,
            uploaded=SimpleUploadedFile("late.pdf", _pdf_bytes()),
        )
    assert "documents can no longer be added" in error.value.messages[0]
    assert _application_state(application) == before


def test_removing_an_attachment_deletes_the_file(call, team, private_storage):
    _organization, _admin, editor = team
    application = make_draft(call, editor=editor)
    attachment = services.attachment_add(
        actor=editor,
        application=application,
        uploaded=SimpleUploadedFile("budget.pdf", _pdf_bytes()),
    )
    name = attachment.file.name
    services.attachment_remove(actor=editor, attachment=attachment)
    assert not Attachment.objects.exists()
    assert not private_storage.exists(name)
    assert AuditEvent.objects.filter(action="attachment.remove").count() == 1


# Assigning reviewers -------------------------------------------------------------------------


@pytest.fixture
def submitted(call):
    return make_submitted(call)


def test_staff_assign_a_reviewer_who_is_told(submitted, secretariat, reviewer):
    review = services.review_assign(actor=secretariat, application=submitted, reviewer=reviewer)
    assert (review.status, review.reviewer, review.assigned_by) == (
        "assigned",
        reviewer,
        secretariat,
    )
    assert AuditEvent.objects.filter(action="review.assign", actor=secretariat).count() == 1
    notification = Notification.objects.get(kind="review_assigned")
    assert notification.recipient == reviewer
    assert notification.url == review.get_absolute_url()


@pytest.mark.parametrize("who", ["reviewer", "editor", "outsider"])
def test_only_staff_assign_reviewers(submitted, reviewer, who):
    actor = {
        "reviewer": lambda: reviewer,
        "editor": lambda: submitted.created_by,
        "outsider": lambda: MembershipFactory(role="admin").user,
    }[who]()
    before = _application_state(submitted)
    with pytest.raises(PermissionDenied):
        services.review_assign(actor=actor, application=submitted, reviewer=reviewer)
    assert _application_state(submitted) == before
    assert not Review.objects.exists()


def test_reviewers_are_assigned_only_to_submitted_applications(call, secretariat, reviewer):
    draft = make_draft(call)
    before = _application_state(draft)
    with pytest.raises(PermissionDenied):
        services.review_assign(actor=secretariat, application=draft, reviewer=reviewer)
    assert _application_state(draft) == before


def test_the_reviewer_must_hold_the_reviewer_role(submitted, secretariat, user):
    inactive = make_reviewer(is_active=False)
    before = _application_state(submitted)
    with pytest.raises(ValidationError) as error:
        services.review_assign(actor=secretariat, application=submitted, reviewer=user)
    assert "is not a reviewer" in error.value.messages[0]
    with pytest.raises(ValidationError):
        services.review_assign(actor=secretariat, application=submitted, reviewer=inactive)
    assert _application_state(submitted) == before


def test_a_member_of_the_applicant_organization_cannot_review_it(submitted, secretariat):
    colleague = make_reviewer()
    MembershipFactory(user=colleague, organization=submitted.organization, role="member")
    before = _application_state(submitted)
    with pytest.raises(ValidationError) as error:
        services.review_assign(actor=secretariat, application=submitted, reviewer=colleague)
    assert "conflict of interest" in error.value.messages[0]
    assert _application_state(submitted) == before


def test_a_declared_conflict_of_interest_blocks_the_assignment(submitted, secretariat, reviewer):
    ConflictOfInterest.objects.create(
        reviewer=reviewer, organization=submitted.organization, note="My sister is mayor"
    )
    before = _application_state(submitted)
    with pytest.raises(ValidationError) as error:
        services.review_assign(actor=secretariat, application=submitted, reviewer=reviewer)
    assert "conflict of interest" in error.value.messages[0]
    assert _application_state(submitted) == before


@pytest.mark.parametrize("rule,refused", [("country", True), ("organization", False)])
def test_the_country_rule_also_skips_reviewers_from_the_same_country(secretariat, rule, refused):
    call = make_call(staff=secretariat, conflict_rule=rule)
    application = make_submitted(call, organization=OrganizationFactory(country="PT"))
    neighbour = make_reviewer()
    MembershipFactory(user=neighbour, organization=OrganizationFactory(country="PT"))
    foreigner = make_reviewer()
    MembershipFactory(user=foreigner, organization=OrganizationFactory(country="SN"))
    services.review_assign(actor=secretariat, application=application, reviewer=foreigner)
    before = _application_state(application)
    if refused:
        with pytest.raises(ValidationError):
            services.review_assign(actor=secretariat, application=application, reviewer=neighbour)
        assert _application_state(application) == before
    else:
        services.review_assign(actor=secretariat, application=application, reviewer=neighbour)
        assert application.reviews.count() == 2


def test_assigning_the_same_reviewer_twice_is_refused_clearly(submitted, secretariat, reviewer):
    services.review_assign(actor=secretariat, application=submitted, reviewer=reviewer)
    before = _application_state(submitted)
    with pytest.raises(ValidationError) as error:
        services.review_assign(actor=secretariat, application=submitted, reviewer=reviewer)
    assert error.value.messages == [f"{reviewer} already reviews this application."]
    assert _application_state(submitted) == before
    assert Review.objects.count() == 1


def _loads(call) -> Counter:
    return Counter(
        Review.objects.filter(application__call=call).values_list("reviewer_id", flat=True)
    )


def test_automatic_assignment_balances_the_load(call, secretariat):
    reviewers = [make_reviewer() for _ in range(4)]
    applications = [make_submitted(call, title=f"Initiative {n}") for n in range(4)]
    make_draft(call, title="Still a draft")
    assigned = services.reviews_auto_assign(actor=secretariat, call=call)
    assert assigned == 8
    assert _loads(call) == {r.pk: 2 for r in reviewers}
    assert [a.reviews.count() for a in applications] == [2, 2, 2, 2]
    assert Review.objects.count() == 8
    assert Notification.objects.filter(kind="review_assigned").count() == 8


def test_automatic_assignment_skips_conflicts_and_keeps_existing_reviews(call, secretariat):
    application = make_submitted(call)
    already, conflicted, member, free = (make_reviewer() for _ in range(4))
    services.review_assign(actor=secretariat, application=application, reviewer=already)
    ConflictOfInterest.objects.create(reviewer=conflicted, organization=application.organization)
    MembershipFactory(user=member, organization=application.organization)
    assert services.reviews_auto_assign(actor=secretariat, call=call) == 1
    assert set(application.reviews.values_list("reviewer", flat=True)) == {already.pk, free.pk}
    assert Review.objects.filter(reviewer=already).count() == 1
    events = AuditEvent.objects.count()
    assert services.reviews_auto_assign(actor=secretariat, call=call) == 0
    assert Review.objects.count() == 2
    assert AuditEvent.objects.count() == events


def test_automatic_assignment_replaces_a_reviewer_who_stepped_aside(call, secretariat):
    application = make_submitted(call)
    first, second, third = (make_reviewer() for _ in range(3))
    assert services.reviews_auto_assign(actor=secretariat, call=call) == 2
    stepped_aside = application.reviews.get(reviewer=first)
    services.review_declare_conflict(actor=first, review=stepped_aside, note="Former adviser")
    assert services.reviews_auto_assign(actor=secretariat, call=call) == 1
    active = application.reviews.exclude(status="conflict")
    assert set(active.values_list("reviewer", flat=True)) == {second.pk, third.pk}


@pytest.mark.django_db(transaction=True)
def test_two_people_assigning_automatically_at_once_assign_each_review_once(reference_data):
    """Two staff press "assign automatically" on the same call at the same moment: the second
    run waits for the first and finds nothing left to assign, rather than failing or giving an
    application more reviewers than the call asks for."""
    first, second = UserFactory(roles={"secretariat"}), UserFactory(roles={"secretariat"})
    call = make_call(staff=first)
    application = make_submitted(call)
    for _ in range(4):
        make_reviewer()
    start = threading.Barrier(2)
    outcomes = []

    def assign(actor):
        try:
            start.wait(timeout=10)
            outcomes.append(services.reviews_auto_assign(actor=actor, call=call))
        except Exception as error:  # noqa: BLE001 — reported by the assertion below
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=assign, args=(actor,)) for actor in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes, key=str) == [0, call.reviewers_per_application], outcomes
    assert application.reviews.count() == call.reviewers_per_application


@pytest.mark.parametrize("who", ["reviewer", "org_admin"])
def test_only_staff_assign_automatically(request, call, who):
    make_submitted(call)
    make_reviewer()
    with pytest.raises(PermissionDenied):
        services.reviews_auto_assign(actor=request.getfixturevalue(who), call=call)
    assert not Review.objects.exists()
    assert not AuditEvent.objects.filter(action="review.assign").exists()


# Scoring -------------------------------------------------------------------------------------


@pytest.fixture
def review(submitted, secretariat, reviewer):
    return services.review_assign(actor=secretariat, application=submitted, reviewer=reviewer)


def test_the_assigned_reviewer_saves_then_submits_a_complete_review(call, review, reviewer):
    criteria = list(call.criteria.all())
    services.review_save(
        actor=reviewer,
        review=review,
        scores={criteria[0].pk: (4, "Clearly locally led"), criteria[1].pk: (None, "")},
    )
    state = _review_state(review)
    assert state["review"]["status"] == "assigned"
    assert state["scores"] == [{"criterion_id": criteria[0].pk, "score": 4}]
    assert not AuditEvent.objects.filter(action="review.submit").exists()

    services.review_save(
        actor=reviewer,
        review=review,
        scores=_scores(call, [4, 3, 5, 2, 4, 3]),
        recommendation="accompanied",
        comment="Good start",
        submit=True,
    )
    state = _review_state(review)
    assert state["review"]["status"] == "submitted"
    assert state["review"]["submitted_at"] is not None
    assert state["review"]["recommendation"] == "accompanied"
    assert [s["score"] for s in state["scores"]] == [4, 3, 5, 2, 4, 3]
    event = AuditEvent.objects.get(action="review.submit")
    assert event.changes["scores"] == dict(zip(CRITERIA_KEYS, [4, 3, 5, 2, 4, 3], strict=True))


def test_a_submitted_review_is_final(call, review, reviewer):
    services.review_save(
        actor=reviewer,
        review=review,
        scores=_scores(call, [4] * 6),
        recommendation="labelled",
        submit=True,
    )
    before = _review_state(review)
    with pytest.raises(PermissionDenied):
        services.review_save(
            actor=reviewer,
            review=review,
            scores=_scores(call, [1] * 6),
            recommendation="declined",
            submit=True,
        )
    assert _review_state(review) == before


@pytest.mark.parametrize("who", ["other_reviewer", "secretariat", "editor"])
def test_only_the_assigned_reviewer_scores(call, review, secretariat, who):
    actor = {
        "other_reviewer": make_reviewer,
        "secretariat": lambda: secretariat,
        "editor": lambda: review.application.created_by,
    }[who]()
    before = _review_state(review)
    with pytest.raises(PermissionDenied):
        services.review_save(
            actor=actor,
            review=review,
            scores=_scores(call, [5] * 6),
            recommendation="labelled",
            submit=True,
        )
    assert _review_state(review) == before
    assert not Score.objects.exists()


@pytest.mark.parametrize("bad", [6, -1, 99])
def test_a_score_outside_zero_to_five_is_refused(call, review, reviewer, bad):
    before = _review_state(review)
    with pytest.raises(ValidationError) as error:
        services.review_save(
            actor=reviewer, review=review, scores=_scores(call, [3, 3, bad, 3, 3, 3])
        )
    criterion = call.criteria.get(key="results")
    assert list(error.value.message_dict) == [f"score_{criterion.pk}"]
    assert _review_state(review) == before
    assert not Score.objects.exists()


def test_the_edges_of_the_scale_are_accepted(call, review, reviewer):
    services.review_save(actor=reviewer, review=review, scores=_scores(call, [0, 5, 0, 5, 0, 5]))
    assert sorted(Score.objects.values_list("score", flat=True)) == [0, 0, 0, 5, 5, 5]


def test_submitting_needs_every_criterion_and_a_recommendation(call, review, reviewer):
    before = _review_state(review)
    with pytest.raises(ValidationError) as error:
        services.review_save(
            actor=reviewer,
            review=review,
            scores=_scores(call, [4, 4, 4, None, 4, 4]),
            recommendation="labelled",
            submit=True,
        )
    assert "Score every criterion" in error.value.message_dict["__all__"][0]
    with pytest.raises(ValidationError) as error:
        services.review_save(
            actor=reviewer, review=review, scores=_scores(call, [4] * 6), submit=True
        )
    assert "recommendation" in error.value.message_dict
    assert _review_state(review) == before


def test_an_unknown_recommendation_is_refused(call, review, reviewer):
    before = _review_state(review)
    with pytest.raises(ValidationError):
        services.review_save(
            actor=reviewer, review=review, scores=_scores(call, [4] * 6), recommendation="maybe"
        )
    assert _review_state(review) == before


def test_a_score_for_another_calls_criterion_is_refused(call, review, reviewer, secretariat):
    other_call = make_call(staff=secretariat, title="Another call")
    foreign = other_call.criteria.first()
    before = _review_state(review)
    with pytest.raises(PermissionDenied):
        services.review_save(actor=reviewer, review=review, scores={foreign.pk: (4, "")})
    assert _review_state(review) == before


def test_a_reviewer_who_declares_a_conflict_steps_aside_and_cannot_score(
    call, review, reviewer, secretariat
):
    services.review_declare_conflict(actor=reviewer, review=review, note="Former employee")
    assert _snapshot(review)["status"] == "conflict"
    assert ConflictOfInterest.objects.filter(
        reviewer=reviewer, organization=review.application.organization
    ).exists()
    assert Notification.objects.get(kind="review_conflict").recipient == secretariat
    before = _review_state(review)
    with pytest.raises(PermissionDenied):
        services.review_save(actor=reviewer, review=review, scores=_scores(call, [4] * 6))
    assert _review_state(review) == before
    with pytest.raises(ValidationError):
        services.review_assign(
            actor=secretariat,
            application=make_submitted(call, organization=review.application.organization),
            reviewer=reviewer,
        )


def test_only_the_assigned_reviewer_declares_a_conflict(review):
    other = make_reviewer()
    before = _review_state(review)
    with pytest.raises(PermissionDenied):
        services.review_declare_conflict(actor=other, review=review)
    assert _review_state(review) == before
    assert not ConflictOfInterest.objects.exists()


def test_a_reviewer_sees_the_other_reviews_only_after_submitting_their_own(
    call, submitted, secretariat
):
    first, second = make_reviewer(), make_reviewer()
    done = make_review(submitted, staff=secretariat, reviewer=first, scores=[5] * 6)
    pending = make_review(submitted, staff=secretariat, reviewer=second, submit=False)
    assert selectors.application_reviews(user=second, application=submitted) == []
    assert selectors.application_reviews(user=first, application=submitted) == [done]
    assert selectors.application_reviews(user=submitted.created_by, application=submitted) == []
    services.review_save(
        actor=second,
        review=pending,
        scores=_scores(call, [3] * 6),
        recommendation="accompanied",
        submit=True,
    )
    second = type(second).objects.get(pk=second.pk)
    assert selectors.application_reviews(user=second, application=submitted) == [done, pending]
    assert selectors.application_reviews(user=secretariat, application=submitted) == [
        done,
        pending,
    ]


# Decisions -----------------------------------------------------------------------------------


def test_granting_the_label_records_who_when_and_why(submitted, secretariat):
    services.application_decide(
        actor=secretariat,
        application=submitted,
        decision="labelled",
        reason=" Strong on every criterion ",
    )
    state = _application_state(submitted)
    assert state["application"]["status"] == "labelled"
    assert state["application"]["decided_at"] is not None
    assert state["application"]["decision_reason"] == "Strong on every criterion"
    assert state["initiative"]["status"] == "labelled"
    assert state["initiative"]["labelled_at"] is not None
    event = AuditEvent.objects.get(action="application.decide")
    assert (event.actor, event.reason) == (secretariat, "Strong on every criterion")
    assert event.changes == {"status": ["submitted", "labelled"]}
    assert AuditEvent.objects.filter(action="initiative.status").first().changes == {
        "status": ["submitted", "labelled"]
    }


@pytest.mark.parametrize("decision", ["accompanied", "declined"])
def test_accompanying_or_declining_sets_the_initiative_without_a_label(
    submitted, secretariat, decision
):
    organization = submitted.organization
    team = {m.user for m in organization.memberships.filter(role__in=["editor", "admin"])}
    services.application_decide(
        actor=secretariat, application=submitted, decision=decision, reason="Not yet ready"
    )
    state = _application_state(submitted)
    assert state["application"]["status"] == decision
    assert (state["initiative"]["status"], state["initiative"]["labelled_at"]) == (decision, None)
    told = Notification.objects.filter(kind=f"application_{decision}")
    assert {n.recipient for n in told} == team
    assert told.first().context["reason"] == "Not yet ready"


@pytest.mark.parametrize("who", ["editor", "reviewer", "outsider"])
def test_only_the_secretariat_decides(submitted, secretariat, reviewer, who):
    services.review_assign(actor=secretariat, application=submitted, reviewer=reviewer)
    actor = {
        "editor": lambda: submitted.created_by,
        "reviewer": lambda: reviewer,
        "outsider": lambda: MembershipFactory(role="admin").user,
    }[who]()
    before = _application_state(submitted)
    with pytest.raises(PermissionDenied):
        services.application_decide(
            actor=actor, application=submitted, decision="labelled", reason="Because"
        )
    assert _application_state(submitted) == before


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_decision_needs_a_reason(submitted, secretariat, reason):
    before = _application_state(submitted)
    with pytest.raises(ValidationError) as error:
        services.application_decide(
            actor=secretariat, application=submitted, decision="declined", reason=reason
        )
    assert "reason" in error.value.message_dict
    assert _application_state(submitted) == before


def test_an_unknown_decision_is_refused(submitted, secretariat):
    before = _application_state(submitted)
    with pytest.raises(ValidationError):
        services.application_decide(
            actor=secretariat, application=submitted, decision="completed", reason="Why not"
        )
    assert _application_state(submitted) == before


def test_a_draft_is_not_decided(call, secretariat):
    draft = make_draft(call)
    before = _application_state(draft)
    with pytest.raises(ValidationError):
        services.application_decide(
            actor=secretariat, application=draft, decision="labelled", reason="Eager"
        )
    assert _application_state(draft) == before


def test_deciding_twice_is_refused_and_changes_nothing(submitted, secretariat):
    services.application_decide(
        actor=secretariat, application=submitted, decision="labelled", reason="First"
    )
    before = _application_state(submitted)
    with pytest.raises(ValidationError) as error:
        services.application_decide(
            actor=secretariat, application=submitted, decision="declined", reason="Second"
        )
    assert "already been decided" in error.value.messages[0]
    assert _application_state(submitted) == before
    assert AuditEvent.objects.filter(action="application.decide").count() == 1


def test_the_team_is_told_of_the_decision_in_its_own_language(
    call, secretariat, django_capture_on_commit_callbacks, mailoutbox
):
    organization, admin, editor = make_team()
    editor.language = "fr"
    editor.save(update_fields=["language"])
    application = make_submitted(call, editor=editor, title="Participation pour tous")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            actor=secretariat, application=application, decision="labelled", reason="Excellent"
        )
    notification = Notification.objects.get(kind="application_labelled", recipient=editor)
    assert notification.context["initiative"] == "Participation pour tous"
    assert sorted(m.to[0] for m in mailoutbox) == sorted([admin.email, editor.email])
    french = next(m for m in mailoutbox if m.to == [editor.email])
    with translation.override("fr"):
        subject_fr, body_fr = notification_render(notification=notification, absolute=True)
    with translation.override("en"):
        _subject_en, body_en = notification_render(notification=notification, absolute=True)
    assert "Participation pour tous" in french.subject
    assert (french.subject, french.body) == (subject_fr, body_fr)
    assert french.body != body_en  # e.g. "Motif :" rather than "Reason:"
    english = next(m for m in mailoutbox if m.to == [admin.email])
    assert english.body == body_en


@pytest.mark.django_db(transaction=True)
def test_two_people_deciding_at_once_make_one_decision(reference_data):
    """Two staff decide the same application at the same moment, in two threads with their
    own database connections: the row lock lets one decide; the other is told it is done."""
    first, second = UserFactory(roles={"secretariat"}), UserFactory(roles={"secretariat"})
    call = make_call(staff=first)
    application = make_submitted(call)
    start = threading.Barrier(2)
    outcomes = {}

    def decide(actor, decision):
        try:
            start.wait(timeout=10)
            services.application_decide(
                actor=actor, application=application, decision=decision, reason=decision
            )
            outcomes[decision] = "decided"
        except ValidationError as error:
            outcomes[decision] = error.messages[0]
        except Exception as error:  # noqa: BLE001 — reported by the assertion below
            outcomes[decision] = repr(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(first, "labelled")),
        threading.Thread(target=decide, args=(second, "declined")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes.values()) == [
        "This application has already been decided.",
        "decided",
    ], outcomes
    winner = next(d for d, outcome in outcomes.items() if outcome == "decided")
    application.refresh_from_db()
    application.initiative.refresh_from_db()
    assert application.status == application.initiative.status == winner
    events = AuditEvent.objects.filter(action="application.decide")
    assert [e.changes["status"][1] for e in events] == [winner]


# Ranking -------------------------------------------------------------------------------------


def test_the_ranking_uses_the_criteria_weights(call, submitted, secretariat):
    weights = dict(zip(CRITERIA_KEYS, ["2", "1", "1", "0.5", "1", "0.5"], strict=True))
    for key, weight in weights.items():
        Criterion.objects.filter(call=call, key=key).update(weight=Decimal(weight))
    make_review(submitted, staff=secretariat, scores=[5, 4, 4, 2, 5, 4])
    make_review(submitted, staff=secretariat, scores=[3, 3, 4, 2, 3, 2])
    criteria, rows = selectors.call_ranking(user=secretariat, call=call)
    assert [c.key for c in criteria] == CRITERIA_KEYS
    [row] = rows
    # First reviewer: (2×5 + 4 + 4 + 0.5×2 + 5 + 0.5×4) / 6 = 26/6 = 4.333…
    # Second reviewer: (2×3 + 3 + 4 + 0.5×2 + 3 + 0.5×2) / 6 = 18/6 = 3
    # (An unweighted mean would give 3.42.)
    assert row.weighted == Decimal("3.67")
    assert row.spread == Decimal("1.33")
    assert row.reviews == 2
    assert row.criterion_means[criteria[0].pk] == Decimal("4.00")
    assert row.criterion_means[criteria[5].pk] == Decimal("3.00")
    assert row.recommendations == ["labelled", "labelled"]
    assert row.below_minimum == [] and row.disagreement is False


def test_the_ranking_orders_by_score_and_flags_weak_points_and_disagreement(call, secretariat):
    strong = make_submitted(call, title="Strong")
    divided = make_submitted(call, title="Divided")
    weak = make_submitted(call, title="Weak on brand")
    unreviewed = make_submitted(call, title="Not reviewed yet")
    make_review(strong, staff=secretariat, scores=[5, 5, 5, 4, 5, 5])
    make_review(strong, staff=secretariat, scores=[5, 4, 5, 4, 5, 4])
    make_review(divided, staff=secretariat, scores=[5, 5, 5, 5, 5, 5])
    make_review(divided, staff=secretariat, scores=[2, 2, 2, 2, 2, 2], recommendation="declined")
    make_review(weak, staff=secretariat, scores=[4, 4, 4, 1, 4, 4])
    make_review(weak, staff=secretariat, scores=[4, 4, 4, 2, 4, 4], recommendation="accompanied")
    # A review still in progress is not counted.
    make_review(weak, staff=secretariat, scores=[0] * 6, submit=False)
    _criteria, rows = selectors.call_ranking(user=secretariat, call=call)
    assert [r.application for r in rows] == [strong, weak, divided, unreviewed]
    by_title = {r.application.initiative.title: r for r in rows}
    assert by_title["Divided"].weighted == Decimal("3.50")
    assert by_title["Divided"].spread == Decimal("3.00")
    assert by_title["Divided"].disagreement is True
    assert by_title["Strong"].disagreement is False
    assert by_title["Weak on brand"].reviews == 2
    assert by_title["Weak on brand"].below_minimum == ["Brand"]
    assert by_title["Weak on brand"].disagreement is False
    assert by_title["Not reviewed yet"].weighted is None
    assert by_title["Not reviewed yet"].reviews == 0


def test_recommending_both_label_and_decline_counts_as_disagreement(call, submitted, secretariat):
    make_review(submitted, staff=secretariat, scores=[4] * 6, recommendation="labelled")
    make_review(submitted, staff=secretariat, scores=[4] * 6, recommendation="declined")
    _criteria, [row] = selectors.call_ranking(user=secretariat, call=call)
    assert row.spread == Decimal("0.00") and row.disagreement is True


@pytest.mark.parametrize("who", ["reviewer", "org_admin", "user"])
def test_only_the_secretariat_sees_the_ranking(request, call, who):
    with pytest.raises(Http404):
        selectors.call_ranking(user=request.getfixturevalue(who), call=call)
