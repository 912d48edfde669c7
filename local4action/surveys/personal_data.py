"""What the surveys app holds about a person."""

from typing import Any

from local4action.core.personal_data import json_value, records

from .choices import ResponseStatus
from .models import Answer, Response, Survey, SurveyInvitation

MODELS = ("surveys.Survey", "surveys.Response", "surveys.SurveyInvitation")


def export(user) -> dict[str, Any]:
    responses = []
    for response in Response.objects.filter(respondent=user).select_related("survey"):
        data = records(Response.objects.filter(pk=response.pk), exclude=("token",))[0]
        data["survey_title"] = json_value(response.survey.title)
        data["answers"] = [
            {"question": answer.question.key, "value": json_value(answer.value)}
            for answer in Answer.objects.filter(response=response)
            .select_related("question")
            .order_by("question__position", "pk")
        ]
        responses.append(data)
    return {
        "responses": responses,
        "invitations": records(SurveyInvitation.objects.filter(user=user)),
        "surveys_created": [
            {"id": s.pk, "slug": s.slug} for s in Survey.objects.filter(created_by=user)
        ],
        "named_in_audience_of": [s.slug for s in Survey.objects.filter(audience_people=user)],
    }


def erase(user) -> None:
    """Responses not submitted go. Submitted ones count in results, so they stay, detached
    from the person (the uniqueness key holds only a number). Invitations go, and the person
    leaves the audiences that named them."""
    Response.objects.filter(respondent=user).exclude(status=ResponseStatus.SUBMITTED).delete()
    Response.objects.filter(respondent=user).update(respondent=None)
    SurveyInvitation.objects.filter(user=user).delete()
    for survey in Survey.objects.filter(audience_people=user):
        survey.audience_people.remove(user)
