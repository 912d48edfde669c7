"""Reads on surveys, filtered by what the user may see."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from . import permissions
from .identity import uniqueness_key
from .models import Page, Question, Response, Survey


def survey_get(*, user, slug: str) -> Survey:
    """A published survey for its audience, any survey for the secretariat; 404 otherwise."""
    survey = (
        Survey.objects.prefetch_related(
            Prefetch(
                "pages",
                queryset=Page.objects.prefetch_related(
                    Prefetch("questions", queryset=Question.objects.order_by("position", "id"))
                ),
            ),
        )
        .filter(slug=slug)
        .first()
    )
    if survey is None:
        raise Http404
    if permissions.can_manage_surveys(user):
        return survey
    if not survey.published or not permissions.in_audience(user, survey):
        raise Http404
    return survey


def surveys_for_user(*, user) -> QuerySet:
    """Open surveys the person may answer (the audience check runs per survey: few are open
    at once)."""
    now = timezone.now()
    open_surveys = Survey.objects.filter(published=True, opens_at__lte=now, closes_at__gt=now)
    return [s for s in open_surveys if permissions.in_audience(user, s)]


def response_for(*, survey: Survey, user=None, organization=None, token=None):
    """The respondent's own response, if one was started (found by the same key that keeps
    it unique, so anonymous responses are found without storing who gave them)."""
    if (user is None or not user.is_authenticated) and not token:
        return None
    key = uniqueness_key(survey, user=user, organization=organization, token=token)
    return Response.objects.filter(survey=survey, uniqueness_key=key).first()
