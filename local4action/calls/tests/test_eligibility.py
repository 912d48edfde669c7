"""The automatic eligibility check: each rule reported by name, and submission refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from local4action.accounts.models import Organization
from local4action.accounts.tests.factories import OrganizationFactory
from local4action.calls import eligibility, services
from local4action.calls.models import Question
from local4action.calls.tests.factories import complete_answers, make_call, make_draft, make_team
from local4action.core.models import AuditEvent

RULES = ["lead_kind", "country", "summary", "answers", "timeline", "sdg", "deliverables"]


def _rules(application, stage=None) -> list[str]:
    application.refresh_from_db()
    return [problem.rule for problem in eligibility.problems(application, stage)]


def _save(application, **changes):
    return services.application_save_draft(
        actor=application.created_by,
        application=application,
        version=application.version,
        **changes,
    )


def _dates(application, start, end):
    return _save(application, initiative_data={"start_date": start, "end_date": end})


@pytest.fixture
def draft(call):
    """A full-stage draft with everything eligibility asks for."""
    return make_draft(call)


def test_a_complete_draft_has_no_problem(draft):
    assert _rules(draft) == []


# One way to break each rule, and nothing else.
BREAKERS = {
    "lead_kind (kind not eligible in this call)": (
        "lead_kind",
        lambda app, staff: services.call_update(
            actor=staff, call=app.call, data={"eligible_kinds": ["regional_government"]}
        ),
    ),
    "lead_kind (no longer a local government)": (
        "lead_kind",
        lambda app, staff: Organization.objects.filter(pk=app.organization.pk).update(
            kind="partner"
        ),
    ),
    "country": (
        "country",
        lambda app, staff: services.call_update(
            actor=staff, call=app.call, data={"target_countries": ["BF", "ML", "NE"]}
        ),
    ),
    "summary": ("summary", lambda app, staff: _save(app, initiative_data={"summary": "   "})),
    "answers (empty text)": ("answers", lambda app, staff: _save(app, answers={"results": " "})),
    "answers (commitment not given)": (
        "answers",
        lambda app, staff: _save(app, answers={"brand_commitment": False}),
    ),
    "timeline (no dates)": ("timeline", lambda app, staff: _dates(app, None, None)),
    "timeline (no end date)": (
        "timeline",
        lambda app, staff: _dates(app, datetime.date(2027, 1, 1), None),
    ),
    "sdg": ("sdg", lambda app, staff: _save(app, initiative_data={"goals": []})),
    "deliverables": ("deliverables", lambda app, staff: _save(app, deliverables=[])),
}


@pytest.mark.parametrize("case", BREAKERS)
def test_each_rule_is_reported_by_name_and_stops_the_submission(draft, secretariat, case):
    rule, breaker = BREAKERS[case]
    breaker(draft, secretariat)
    draft.refresh_from_db()
    found = eligibility.problems(draft)
    assert [problem.rule for problem in found] == [rule]
    before = (draft.status, draft.version, draft.submitted_at, AuditEvent.objects.count())
    with pytest.raises(ValidationError) as error:
        services.application_submit(actor=draft.created_by, application=draft)
    assert error.value.messages == [str(found[0].message)]
    draft.refresh_from_db()
    draft.initiative.refresh_from_db()
    assert (draft.status, draft.version, draft.submitted_at, AuditEvent.objects.count()) == before
    assert draft.initiative.status == "draft"


def test_every_rule_at_once_in_a_stable_order(secretariat):
    call = make_call(
        staff=secretariat,
        eligible_kinds=["lrg_association"],
        target_countries=["SN"],
    )
    application = make_draft(call, complete=False)
    assert _rules(application) == RULES


def test_an_organization_from_a_target_country_is_eligible(secretariat):
    call = make_call(staff=secretariat, target_countries=["SN", "ML"])
    application = make_draft(call, organization=OrganizationFactory(country="SN"))
    assert _rules(application) == []


@pytest.mark.parametrize("kind", ["local_government", "regional_government", "lrg_association"])
def test_every_kind_of_lrg_may_lead(call, kind):
    application = make_draft(call, organization=OrganizationFactory(kind=kind))
    assert _rules(application) == []


def test_the_missing_answers_are_named(draft):
    _save(draft, answers={"results": "", "theme": ""})
    draft.refresh_from_db()
    [problem] = eligibility.problems(draft)
    labels = [
        q.label for q in Question.objects.filter(call=draft.call, key__in=["results", "theme"])
    ]
    assert problem.rule == "answers"
    assert all(label in str(problem.message) for label in labels)


def test_an_optional_question_may_stay_empty(draft):
    Question.objects.filter(call=draft.call, key="results").update(required=False)
    _save(draft, answers={"results": ""})
    assert _rules(draft) == []


@pytest.mark.parametrize(
    "start,end,eligible",
    [
        # Both dates count: 1 January to 31 December is one year.
        (datetime.date(2027, 1, 1), datetime.date(2027, 12, 31), True),
        (datetime.date(2027, 1, 1), datetime.date(2028, 1, 1), True),
        (datetime.date(2027, 1, 1), datetime.date(2027, 12, 30), False),
        (datetime.date(2027, 1, 1), datetime.date(2027, 6, 30), False),
        (datetime.date(2027, 1, 1), datetime.date(2027, 1, 1), False),
        (datetime.date(2027, 1, 1), datetime.date(2028, 12, 31), True),
        # Three years, across a leap year.
        (datetime.date(2027, 1, 1), datetime.date(2029, 12, 31), True),
        (datetime.date(2028, 1, 1), datetime.date(2030, 12, 31), True),
        (datetime.date(2027, 3, 1), datetime.date(2030, 2, 28), True),
        (datetime.date(2027, 1, 1), datetime.date(2030, 2, 1), False),
        (datetime.date(2027, 1, 1), datetime.date(2031, 1, 1), False),
    ],
)
def test_the_timeline_runs_between_one_and_three_years(draft, start, end, eligible):
    _dates(draft, start, end)
    assert _rules(draft) == ([] if eligible else ["timeline"])


def test_an_end_before_the_start_is_refused_when_saving(draft):
    before = (draft.initiative.start_date, draft.initiative.end_date)
    with pytest.raises(ValidationError):
        _dates(draft, datetime.date(2028, 1, 1), datetime.date(2027, 1, 1))
    draft.initiative.refresh_from_db()
    assert (draft.initiative.start_date, draft.initiative.end_date) == before


def test_an_expression_of_interest_is_checked_only_on_its_own_stage(two_stage_call):
    _organization, _admin, editor = make_team()
    application = make_draft(two_stage_call, editor=editor)
    assert application.stage == "eoi"
    assert _rules(application) == ["summary", "answers"]
    _save(
        application,
        answers=complete_answers(two_stage_call, "eoi"),
        initiative_data={"summary": "Exchanges among young people of different cultures."},
    )
    assert _rules(application) == []
    # The second stage asks for the rest.
    assert _rules(application, "full") == ["answers", "timeline", "sdg", "deliverables"]


def test_the_lead_kind_and_country_rules_also_apply_to_the_first_stage(secretariat):
    call = make_call(staff=secretariat, two_stages=True, target_countries=["SN"])
    application = make_draft(call)
    _save(
        application,
        answers=complete_answers(call, "eoi"),
        initiative_data={"summary": "Exchanges among young people of different cultures."},
    )
    assert _rules(application) == ["country"]
