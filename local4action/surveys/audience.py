"""Who a survey asks: the people to invite and remind, by the rules of
permissions.in_audience."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from local4action.accounts.choices import MembershipRole, MembershipStatus, OrganizationStatus
from local4action.initiatives.choices import InitiativeStatus

from .choices import Audience, OnePer
from .models import Survey


def audience_people(survey: Survey) -> QuerySet:
    """Active users the survey asks to answer. Nobody for anyone-with-the-link surveys (the
    link is shared by other means). A survey answered once per organization asks each
    organization's administrators and editors, who answer for it; the others would find the
    answer already given."""
    users = get_user_model().objects.filter(is_active=True)
    if survey.audience == Audience.PUBLIC:
        return users.none()
    if survey.audience == Audience.PEOPLE:
        return users.filter(pk__in=survey.audience_people.values("pk")).order_by("pk")
    # One Q in one filter(): every condition applies to the same membership.
    rules = Q(
        memberships__status=MembershipStatus.ACTIVE,
        memberships__organization__status=OrganizationStatus.APPROVED,
    )
    if survey.audience == Audience.ORGANIZATION_KINDS:
        rules &= Q(memberships__organization__kind__in=survey.audience_kinds)
    elif survey.audience == Audience.SECTIONS:
        rules &= Q(memberships__organization__regional_section__in=survey.audience_sections.all())
    elif survey.audience == Audience.HUB_TEAMS:
        rules &= Q(
            memberships__organization__led_initiatives__status__in=[
                InitiativeStatus.LABELLED,
                InitiativeStatus.ACCOMPANIED,
            ]
        )
    elif survey.audience != Audience.MEMBERS:
        return users.none()
    if survey.one_per == OnePer.ORGANIZATION:
        rules &= Q(memberships__role__in=[MembershipRole.ADMIN, MembershipRole.EDITOR])
    return users.filter(rules).distinct().order_by("pk")
