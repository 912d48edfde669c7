"""Who may do what with calls, applications and reviews: one table, every role."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from local4action.accounts.tests.factories import MembershipFactory, UserFactory
from local4action.calls import permissions, services
from local4action.calls.tests.factories import (
    complete_answers,
    make_call,
    make_draft,
    make_review,
    make_reviewer,
    make_submitted,
)

ROLES = [
    "anonymous",
    "outsider",
    "member",
    "editor",
    "admin",
    "assigned_reviewer",
    "unassigned_reviewer",
    "partner",
    "secretariat",
]


@pytest.fixture
def world(secretariat, organization, org_member, org_editor, org_admin, reviewer):
    """One organization's team with a draft, a submitted application (one reviewer assigned,
    a second one who already submitted) and an expression of interest waiting for
    shortlisting; a draft call; and people in every role."""
    call = make_call(staff=secretariat)
    two_stage_call = make_call(staff=secretariat, two_stages=True, title="Two stages")
    draft_call = make_call(staff=secretariat, status="draft", title="Not yet open")
    draft = make_draft(call, editor=org_editor, title="A draft")
    submitted = make_submitted(call, editor=org_editor, title="A submitted one")
    review = services.review_assign(actor=secretariat, application=submitted, reviewer=reviewer)
    make_review(submitted, staff=secretariat, scores=[4] * 6)  # another reviewer, done
    eoi = make_draft(two_stage_call, editor=org_editor, title="An expression of interest")
    eoi = services.application_save_draft(
        actor=org_editor,
        application=eoi,
        version=eoi.version,
        answers=complete_answers(two_stage_call, "eoi"),
        initiative_data={"summary": "Youth exchanges"},
    )
    eoi = services.application_submit(actor=org_editor, application=eoi)
    people = {
        "anonymous": AnonymousUser(),
        "outsider": MembershipFactory(role="admin").user,
        "member": org_member,
        "editor": org_editor,
        "admin": org_admin,
        "assigned_reviewer": reviewer,
        "unassigned_reviewer": make_reviewer(),
        "partner": UserFactory(roles={"partner"}),
        "secretariat": secretariat,
    }
    return SimpleNamespace(
        call=call,
        draft_call=draft_call,
        organization=organization,
        draft=draft,
        submitted=submitted,
        eoi=eoi,
        review=review,
        people=people,
    )


ACTIONS = [
    "view draft call",  # 1
    "view open call",  # 2
    "apply",  # 3
    "view draft application",  # 4
    "view submitted application",  # 5
    "edit draft",  # 6
    "withdraw",  # 7
    "shortlist",  # 8
    "assign reviewers",  # 9
    "decide",  # 10
    "edit review",  # 11
    "see all reviews (own not submitted)",  # 12
    "see all reviews (own submitted)",  # 13
    "edit review once submitted",  # 14
]

EXPECTED = {
    #                      1  2  3  4  5  6  7  8  9 10 11 12 13 14   (numbers: ACTIONS above)
    "anonymous":          (0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    "outsider":           (0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    "member":             (0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    "editor":             (0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0),
    "admin":              (0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0),
    "assigned_reviewer":  (0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0),
    "unassigned_reviewer":(0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    "partner":            (0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    "secretariat":        (1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 0),
}  # fmt: skip


def _permissions_of(person, world) -> dict[str, bool]:
    before = {
        "view draft call": permissions.can_view_call(person, world.draft_call),
        "view open call": permissions.can_view_call(person, world.call),
        "apply": permissions.can_apply(person, world.call, world.organization),
        "view draft application": permissions.can_view_application(person, world.draft),
        "view submitted application": permissions.can_view_application(person, world.submitted),
        "edit draft": permissions.can_edit_application(person, world.draft),
        "withdraw": permissions.can_withdraw_application(person, world.submitted),
        "shortlist": permissions.can_shortlist(person, world.eoi),
        "assign reviewers": permissions.can_assign_reviewers(person, world.submitted),
        "decide": permissions.can_decide(person, world.submitted),
        "edit review": permissions.can_edit_review(person, world.review),
        "see all reviews (own not submitted)": permissions.can_see_all_reviews(
            person, world.submitted
        ),
    }
    # The assigned reviewer now submits their review.
    review = _submit_the_assigned_review(world)
    return {
        **before,
        "see all reviews (own submitted)": permissions.can_see_all_reviews(person, world.submitted),
        "edit review once submitted": permissions.can_edit_review(person, review),
    }


def _submit_the_assigned_review(world):
    reviewer = world.people["assigned_reviewer"]
    return services.review_save(
        actor=reviewer,
        review=world.review,
        scores={c.pk: (3, "") for c in world.call.criteria.all()},
        recommendation="accompanied",
        submit=True,
    )


def test_the_table_covers_every_role_and_action():
    assert list(EXPECTED) == ROLES
    assert all(len(row) == len(ACTIONS) for row in EXPECTED.values())


@pytest.mark.parametrize("role", ROLES)
def test_call_and_application_permissions_by_role(world, role):
    person = world.people[role]
    expected = {action: bool(x) for action, x in zip(ACTIONS, EXPECTED[role], strict=True)}
    assert _permissions_of(person, world) == expected


# Edges the table does not show ---------------------------------------------------------------


def test_a_requested_membership_gives_no_team_rights(world):
    requested = MembershipFactory(
        organization=world.organization, role="admin", status="requested"
    ).user
    assert not permissions.can_apply(requested, world.call, world.organization)
    assert not permissions.can_view_application(requested, world.draft)
    assert not permissions.can_edit_application(requested, world.draft)
    assert not permissions.can_withdraw_application(requested, world.submitted)


def test_an_organization_waiting_for_approval_cannot_apply(world):
    world.organization.status = "pending"
    world.organization.save()
    assert not permissions.can_apply(world.people["editor"], world.call, world.organization)


def test_nobody_applies_to_a_call_that_is_not_open(world):
    editor = world.people["editor"]
    assert not permissions.can_apply(editor, world.draft_call, world.organization)
    closed = services.call_set_status(
        actor=world.people["secretariat"], call=world.call, status="closed"
    )
    assert not permissions.can_apply(editor, closed, world.organization)


def test_an_expression_of_interest_is_edited_while_draft_and_withdrawn_until_decided(world):
    editor = world.people["editor"]
    assert not permissions.can_edit_application(editor, world.eoi)
    assert permissions.can_withdraw_application(editor, world.eoi)
    assert not permissions.can_shortlist(world.people["secretariat"], world.draft)


def test_a_decided_application_is_closed_to_everyone(world):
    secretariat = world.people["secretariat"]
    services.application_decide(
        actor=secretariat, application=world.submitted, decision="labelled", reason="Strong"
    )
    world.submitted.refresh_from_db()
    world.review.refresh_from_db()
    for person in world.people.values():
        assert not permissions.can_withdraw_application(person, world.submitted)
        assert not permissions.can_edit_application(person, world.submitted)
        assert not permissions.can_decide(person, world.submitted)
        assert not permissions.can_assign_reviewers(person, world.submitted)
        assert not permissions.can_edit_review(person, world.review)
    assert permissions.can_view_application(world.people["member"], world.submitted)


def test_a_reviewer_who_declared_a_conflict_no_longer_sees_the_application(world):
    reviewer = world.people["assigned_reviewer"]
    services.review_declare_conflict(actor=reviewer, review=world.review, note="Former adviser")
    world.review.refresh_from_db()
    assert not permissions.can_view_application(reviewer, world.submitted)
    assert not permissions.can_edit_review(reviewer, world.review)
    assert not permissions.can_see_all_reviews(reviewer, world.submitted)


def test_only_active_people_with_the_reviewer_role_can_be_reviewers(world):
    assert permissions.can_be_reviewer(world.people["assigned_reviewer"])
    assert not permissions.can_be_reviewer(world.people["secretariat"])
    assert not permissions.can_be_reviewer(world.people["editor"])
    assert not permissions.can_be_reviewer(make_reviewer(is_active=False))


def test_a_superuser_counts_as_secretariat(world):
    superuser = UserFactory(is_superuser=True)
    assert permissions.can_manage_calls(superuser)
    assert permissions.can_view_call(superuser, world.draft_call)
    assert permissions.can_decide(superuser, world.submitted)
