import datetime
import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from local4action.accounts.api import OrganizationRef
from local4action.accounts.permissions import is_secretariat
from local4action.api.auth import AUTHENTICATED, request_user

from . import selectors, services
from .choices import SCORE_MAX, SCORE_MIN
from .models import Call

router = Router(tags=["Calls, applications and reviews"])


def _absolute(context, path: str) -> str:
    return context["request"].build_absolute_uri(path)


def _in_call_zone(call: Call, moment: datetime.datetime | None) -> datetime.datetime | None:
    """Deadlines are announced in the call's time zone: give them with its offset."""
    if moment is None:
        return None
    try:
        zone = zoneinfo.ZoneInfo(call.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = datetime.UTC
    return timezone.localtime(moment, zone)


# Calls ---------------------------------------------------------------------------------------


class CallOut(Schema):
    slug: str
    title: str
    status: str
    time_zone: str
    opens_at: datetime.datetime
    eoi_closes_at: datetime.datetime | None = Field(
        description="Deadline of the expression of interest; null for a call in one stage."
    )
    closes_at: datetime.datetime
    two_stages: bool
    url: str

    @staticmethod
    def resolve_opens_at(obj) -> datetime.datetime:
        return _in_call_zone(obj, obj.opens_at)

    @staticmethod
    def resolve_eoi_closes_at(obj) -> datetime.datetime | None:
        return _in_call_zone(obj, obj.eoi_closes_at)

    @staticmethod
    def resolve_closes_at(obj) -> datetime.datetime:
        return _in_call_zone(obj, obj.closes_at)

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_absolute_url())


class CriterionOut(Schema):
    key: str
    name: str
    description: str
    weight: float
    min_score: int

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.label

    @staticmethod
    def resolve_description(obj) -> str:
        return obj.help

    @staticmethod
    def resolve_weight(obj) -> float:
        return float(obj.weight)


class QuestionOut(Schema):
    key: str
    stage: str
    text: str
    help: str
    kind: str
    required: bool

    @staticmethod
    def resolve_text(obj) -> str:
        return obj.label

    @staticmethod
    def resolve_help(obj) -> str:
        return obj.help_text


class CallDetailOut(CallOut):
    description: str = Field(description="Sanitized HTML.")
    eligible_kinds: list[str]
    target_countries: list[str] = Field(description="Empty: open to every country.")
    support_offered: list[str]
    results_published: bool
    criteria: list[CriterionOut]
    questions: list[QuestionOut]

    @staticmethod
    def resolve_criteria(obj) -> list:
        return list(obj.criteria.all())

    @staticmethod
    def resolve_questions(obj) -> list:
        return list(obj.questions.all())


@router.get(
    "/calls",
    response=list[CallOut],
    summary="Calls for proposals",
    description="Open, closed and decided calls; the secretariat also sees drafts. "
    "Dates are given in the call's time zone.",
)
def calls(request):
    return list(selectors.call_list(user=request_user(request)))


@router.get(
    "/calls/{slug}",
    response=CallDetailOut,
    summary="A call with its criteria and questions",
    description="Criteria names and questions are in the request language "
    "(`Accept-Language`, or the signed-in person's language).",
)
def call(request, slug: str):
    return selectors.call_get(user=request_user(request), slug=slug)


# Applications --------------------------------------------------------------------------------


class InitiativeRef(Schema):
    slug: str
    title: str


class ApplicationOut(Schema):
    id: int
    call: str
    initiative: InitiativeRef
    organization: OrganizationRef
    status: str
    stage: str
    eoi_submitted_at: datetime.datetime | None
    submitted_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    updated_at: datetime.datetime
    url: str

    @staticmethod
    def resolve_call(obj) -> str:
        return obj.call.slug

    @staticmethod
    def resolve_organization(obj):
        return obj.initiative.lead_organization

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_absolute_url())


class DeliverableOut(Schema):
    title: str
    due_date: datetime.date
    success_criteria: str


class AttachmentOut(Schema):
    name: str
    size: int
    content_type: str
    url: str

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, reverse("calls:attachment", args=[obj.pk]))


class ApplicationDetailOut(ApplicationOut):
    version: int
    answers: dict[str, Any] = Field(description="Answers by question key.")
    support_requested: list[str]
    decision_reason: str
    deliverables: list[DeliverableOut]
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_deliverables(obj) -> list:
        return list(obj.deliverables.all())

    @staticmethod
    def resolve_attachments(obj) -> list:
        return list(obj.attachments.all())


class ApplicationFilters(Schema):
    call: str = Field("", description="A call's slug: only its applications.")
    page: int = 1


class ApplicationPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ApplicationOut]


class Problem(Schema):
    detail: list[str] | str
    fields: dict[str, list[str]] | None = Field(None, description="Messages by field.")


@router.get(
    "/applications",
    response={200: ApplicationPage, 404: Problem},
    auth=AUTHENTICATED,
    summary="Applications you may follow",
    description="The applications of the organizations you are an active member of. "
    "With `call`, the secretariat gets every application of that call. 50 per page.",
)
def applications(request, filters: Query[ApplicationFilters]):
    user = request.auth
    if filters.call:
        call = selectors.call_get(user=user, slug=filters.call)
        if is_secretariat(user):
            queryset = selectors.call_applications(user=user, call=call).select_related("call")
        else:
            queryset = selectors.applications_for_user(user=user).filter(call=call)
    else:
        queryset = selectors.applications_for_user(user=user)
    paginator = Paginator(queryset, 50)
    page = paginator.get_page(filters.page)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "results": list(page.object_list),
    }


@router.get(
    "/applications/{id}",
    response=ApplicationDetailOut,
    auth=AUTHENTICATED,
    summary="One application",
    description="For its team, its reviewers and the secretariat; 404 for anybody else.",
)
def application(request, id: int):
    return selectors.application_get(user=request.auth, pk=id)


@router.post(
    "/applications/{id}/submit",
    response={200: ApplicationDetailOut, 400: Problem, 403: Problem},
    auth=AUTHENTICATED,
    summary="Submit an application",
    description="Submits the expression of interest or the full application, before the "
    "deadline and when every eligibility rule passes; 400 lists what is missing. Editors and "
    "admins of the lead organization only.",
)
def application_submit(request, id: int):
    application = selectors.application_get(user=request.auth, pk=id)
    services.application_submit(actor=request.auth, application=application)
    return selectors.application_get(user=request.auth, pk=id)


# Reviews -------------------------------------------------------------------------------------


class ScoreOut(Schema):
    criterion: str = Field(description="The criterion's key.")
    score: int
    comment: str


class ReviewOut(Schema):
    id: int
    application: int
    call: str
    initiative: InitiativeRef
    status: str
    recommendation: str
    comment: str
    submitted_at: datetime.datetime | None
    url: str

    @staticmethod
    def resolve_application(obj) -> int:
        return obj.application_id

    @staticmethod
    def resolve_call(obj) -> str:
        return obj.application.call.slug

    @staticmethod
    def resolve_initiative(obj):
        return obj.application.initiative

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_absolute_url())


class ReviewDetailOut(ReviewOut):
    criteria: list[CriterionOut]
    scores: list[ScoreOut]

    @staticmethod
    def resolve_criteria(obj) -> list:
        return list(obj.application.call.criteria.all())

    @staticmethod
    def resolve_scores(obj) -> list[dict]:
        keys = {c.pk: c.key for c in obj.application.call.criteria.all()}
        return [
            {"criterion": keys[s.criterion_id], "score": s.score, "comment": s.comment}
            for s in sorted(obj.scores.all(), key=lambda s: s.criterion_id)
        ]


class ScoreIn(Schema):
    criterion: str = Field(description="The criterion's key.")
    score: int | None = Field(
        None, ge=SCORE_MIN, le=SCORE_MAX, description="From 0 to 5; null clears the score."
    )
    comment: str = ""


class ReviewIn(Schema):
    scores: list[ScoreIn] = Field(default_factory=list)
    recommendation: str = Field("", description="labelled, accompanied or declined.")
    comment: str = ""
    submit: bool = Field(False, description="Submit the review: it must be complete; final.")


@router.get(
    "/reviews",
    response=list[ReviewOut],
    auth=AUTHENTICATED,
    summary="Your review assignments",
)
def reviews(request):
    return list(selectors.reviews_for_reviewer(user=request.auth))


@router.get(
    "/reviews/{id}",
    response=ReviewDetailOut,
    auth=AUTHENTICATED,
    summary="One of your reviews, with its criteria and scores",
)
def review(request, id: int):
    return selectors.review_get(user=request.auth, pk=id)


@router.post(
    "/reviews/{id}",
    response={200: ReviewDetailOut, 400: Problem, 403: Problem},
    auth=AUTHENTICATED,
    summary="Save or submit your review",
    description="Scores are saved for the criteria sent; the recommendation and the overall "
    "comment are replaced by what is sent. With `submit`, every criterion must be scored and "
    "a recommendation chosen; a submitted review can no longer change.",
)
def review_save(request, id: int, payload: ReviewIn):
    review = selectors.review_get(user=request.auth, pk=id)
    criteria = {c.key: c.pk for c in review.application.call.criteria.all()}
    unknown = sorted({s.criterion for s in payload.scores} - set(criteria))
    if unknown:
        raise ValidationError(
            {"scores": _("Unknown criterion: %(keys)s.") % {"keys": ", ".join(unknown)}}
        )
    services.review_save(
        actor=request.auth,
        review=review,
        scores={criteria[s.criterion]: (s.score, s.comment) for s in payload.scores},
        recommendation=payload.recommendation,
        comment=payload.comment,
        submit=payload.submit,
    )
    return selectors.review_get(user=request.auth, pk=id)
