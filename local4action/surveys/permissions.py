"""Who may answer a survey and who manages it."""

from local4action.accounts.choices import MembershipStatus, OrganizationStatus
from local4action.accounts.permissions import is_secretariat
from local4action.initiatives.choices import InitiativeStatus

from .choices import Audience
from .models import Survey


def _memberships(user):
    return user.memberships.filter(
        status=MembershipStatus.ACTIVE, organization__status=OrganizationStatus.APPROVED
    )


def in_audience(user, survey: Survey) -> bool:
    if survey.audience == Audience.PUBLIC:
        return True
    if user is None or not user.is_authenticated:
        return False
    memberships = _memberships(user)
    if survey.audience == Audience.MEMBERS:
        return memberships.exists()
    if survey.audience == Audience.ORGANIZATION_KINDS:
        return memberships.filter(organization__kind__in=survey.audience_kinds).exists()
    if survey.audience == Audience.SECTIONS:
        return memberships.filter(
            organization__regional_section__in=survey.audience_sections.all()
        ).exists()
    if survey.audience == Audience.PEOPLE:
        return survey.audience_people.filter(pk=user.pk).exists()
    if survey.audience == Audience.HUB_TEAMS:
        return memberships.filter(
            organization__led_initiatives__status__in=[
                InitiativeStatus.LABELLED,
                InitiativeStatus.ACCOMPANIED,
            ]
        ).exists()
    return False


def can_manage_surveys(user) -> bool:
    return is_secretariat(user)


def can_see_results(user, survey: Survey) -> bool:
    """The secretariat always; everyone once a published survey's results are public."""
    return can_manage_surveys(user) or (survey.published and survey.results_public)


def can_export_responses(user, survey: Survey) -> bool:
    """One row per response (never who gave it when anonymous): the secretariat only."""
    return can_manage_surveys(user)
