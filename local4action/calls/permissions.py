"""Who may do what with calls, applications and reviews. Pure predicates shared by views,
API, templates and services."""

from local4action.accounts.choices import MembershipRole, MembershipStatus, OrganizationStatus
from local4action.accounts.permissions import is_reviewer, is_secretariat, membership_of

from .choices import DRAFT_STATUSES, ApplicationStatus, CallStatus, ReviewStatus
from .models import Application, Call, Review

TEAM_EDIT_ROLES = (MembershipRole.EDITOR, MembershipRole.ADMIN)


def _team_role(user, organization) -> str | None:
    membership = membership_of(user, organization)
    if membership is None or membership.status != MembershipStatus.ACTIVE:
        return None
    return membership.role


def is_team_member(user, application: Application) -> bool:
    return _team_role(user, application.initiative.lead_organization) is not None


def is_team_editor(user, application: Application) -> bool:
    return _team_role(user, application.initiative.lead_organization) in TEAM_EDIT_ROLES


def can_manage_calls(user) -> bool:
    return is_secretariat(user)


def can_view_call(user, call: Call) -> bool:
    return call.status != CallStatus.DRAFT or is_secretariat(user)


def can_apply(user, call: Call, organization) -> bool:
    """Editors and admins of an approved organization may start an application."""
    return (
        call.status == CallStatus.OPEN
        and organization.status == OrganizationStatus.APPROVED
        and _team_role(user, organization) in TEAM_EDIT_ROLES
    )


def _assigned_review(user, application: Application) -> Review | None:
    if not user.is_authenticated:
        return None
    for review in application.reviews.all():
        if review.reviewer_id == user.pk:
            return review
    return None


def can_view_application(user, application: Application) -> bool:
    if is_secretariat(user) or is_team_member(user, application):
        return True
    review = _assigned_review(user, application)
    return review is not None and review.status != ReviewStatus.CONFLICT


def can_edit_application(user, application: Application) -> bool:
    return application.status in DRAFT_STATUSES and is_team_editor(user, application)


def can_withdraw_application(user, application: Application) -> bool:
    return application.status in (
        ApplicationStatus.EOI_DRAFT,
        ApplicationStatus.EOI_SUBMITTED,
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
    ) and is_team_editor(user, application)


def can_shortlist(user, application: Application) -> bool:
    return is_secretariat(user) and application.status == ApplicationStatus.EOI_SUBMITTED


def can_assign_reviewers(user, application: Application) -> bool:
    return is_secretariat(user) and application.status == ApplicationStatus.SUBMITTED


def can_decide(user, application: Application) -> bool:
    return is_secretariat(user) and application.status == ApplicationStatus.SUBMITTED


def can_be_reviewer(user) -> bool:
    return user.is_active and is_reviewer(user)


def can_edit_review(user, review: Review) -> bool:
    return (
        review.reviewer_id == user.pk
        and review.status == ReviewStatus.ASSIGNED
        and review.application.status == ApplicationStatus.SUBMITTED
    )


def can_see_all_reviews(user, application: Application) -> bool:
    """Staff see every review; a reviewer sees the others only once theirs is submitted."""
    if is_secretariat(user):
        return True
    review = _assigned_review(user, application)
    return review is not None and review.status == ReviewStatus.SUBMITTED
