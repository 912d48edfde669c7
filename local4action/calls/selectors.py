"""Reads on calls, applications and reviews, filtered by what the user may see."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from local4action.accounts.choices import MembershipStatus
from local4action.accounts.permissions import is_secretariat

from . import permissions
from .choices import ApplicationStatus, CallStatus, ReviewStatus
from .models import Application, Call, Review, Score

# Reviewers' weighted totals this far apart (on the 0–5 scale) count as strong disagreement.
DISAGREEMENT_SPREAD = Decimal("1.5")


def call_list(*, user) -> QuerySet:
    queryset = Call.objects.annotate(
        application_count=Count(
            "applications",
            filter=~Q(
                applications__status__in=[ApplicationStatus.EOI_DRAFT, ApplicationStatus.DRAFT]
            ),
        )
    )
    if not is_secretariat(user):
        queryset = queryset.exclude(status=CallStatus.DRAFT)
    return queryset.order_by("-opens_at")


def call_get(*, user, slug: str) -> Call:
    call = Call.objects.prefetch_related("criteria", "questions").filter(slug=slug).first()
    if call is None or not permissions.can_view_call(user, call):
        raise Http404
    return call


def call_results(*, user, call: Call) -> QuerySet:
    """The HUBs and accompanied initiatives of a call: public once the results are published,
    before that for the secretariat only (404 for anybody else)."""
    if not call.results_published and not is_secretariat(user):
        raise Http404
    return (
        call.applications.filter(
            status__in=[ApplicationStatus.LABELLED, ApplicationStatus.ACCOMPANIED]
        )
        .select_related("initiative__lead_organization")
        .order_by("status", "initiative__title")
    )


def open_call() -> Call | None:
    return Call.objects.filter(status=CallStatus.OPEN).order_by("closes_at").first()


def _application_queryset() -> QuerySet:
    return Application.objects.select_related(
        "call", "initiative__lead_organization"
    ).prefetch_related(
        "reviews",
        "deliverables",
        "attachments",
        "initiative__goals",
        "initiative__targets",
        "initiative__policy_areas",
        "initiative__translations",
        "initiative__locations",
        "call__questions",
        "call__criteria",
    )


def application_get(*, user, pk: int) -> Application:
    """The application if the user may see it; 404 otherwise, so guessed ids reveal nothing."""
    application = _application_queryset().filter(pk=pk).first()
    if application is None or not permissions.can_view_application(user, application):
        raise Http404
    return application


def applications_for_user(*, user) -> QuerySet:
    """Applications of the organizations the user is an active member of."""
    if not user.is_authenticated:
        return Application.objects.none()
    return (
        Application.objects.filter(
            initiative__lead_organization__memberships__user=user,
            initiative__lead_organization__memberships__status=MembershipStatus.ACTIVE,
        )
        .select_related("call", "initiative__lead_organization")
        .order_by("-updated_at")
    )


def call_applications(*, user, call: Call) -> QuerySet:
    """Every application of a call, for the secretariat."""
    if not is_secretariat(user):
        return Application.objects.none()
    return (
        Application.objects.filter(call=call)
        .select_related("initiative__lead_organization")
        .annotate(
            review_count=Count("reviews", filter=~Q(reviews__status=ReviewStatus.CONFLICT)),
            submitted_reviews=Count("reviews", filter=Q(reviews__status=ReviewStatus.SUBMITTED)),
        )
        .order_by("status", "initiative__title")
    )


def reviews_for_reviewer(*, user) -> QuerySet:
    return (
        Review.objects.filter(reviewer=user)
        .select_related("application__call", "application__initiative__lead_organization")
        .order_by("status", "-created_at")
    )


def review_get(*, user, pk: int) -> Review:
    review = (
        Review.objects.select_related(
            "application__call", "application__initiative__lead_organization", "reviewer"
        )
        .prefetch_related("scores", "application__call__criteria")
        .filter(pk=pk)
        .first()
    )
    if review is None or (review.reviewer_id != user.pk and not is_secretariat(user)):
        raise Http404
    return review


def application_reviews(*, user, application: Application) -> list[Review]:
    """Submitted reviews, for staff, and for reviewers who have submitted their own."""
    if not permissions.can_see_all_reviews(user, application):
        return []
    return list(
        Review.objects.filter(application=application, status=ReviewStatus.SUBMITTED)
        .select_related("reviewer")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
    )


@dataclass
class RankingRow:
    application: Application
    weighted: Decimal | None = None
    spread: Decimal | None = None
    criterion_means: dict[int, Decimal] = field(default_factory=dict)
    # The same means in the order of the call's criteria (for tables and exports).
    means: list[Decimal | None] = field(default_factory=list)
    reviews: int = 0
    recommendations: list[str] = field(default_factory=list)
    below_minimum: list[str] = field(default_factory=list)
    disagreement: bool = False


def _weighted(scores: dict[int, int], criteria) -> Decimal | None:
    total_weight = sum(c.weight for c in criteria)
    if not total_weight or any(c.pk not in scores for c in criteria):
        return None
    return sum(c.weight * scores[c.pk] for c in criteria) / total_weight


def call_ranking(*, user, call: Call) -> tuple[list, list[RankingRow]]:
    """Submitted applications ranked by weighted mean score, with the spread between
    reviewers and flags. A fixed number of queries, whatever the number of rows."""
    if not is_secretariat(user):
        raise Http404
    criteria = list(call.criteria.all())
    applications = list(
        Application.objects.filter(
            call=call,
            status__in=[
                ApplicationStatus.SUBMITTED,
                ApplicationStatus.LABELLED,
                ApplicationStatus.ACCOMPANIED,
                ApplicationStatus.DECLINED,
            ],
        ).select_related("initiative__lead_organization")
    )
    by_review: dict[int, dict[int, int]] = defaultdict(dict)
    review_app: dict[int, int] = {}
    recommendations: dict[int, list[str]] = defaultdict(list)
    for review_id, application_id, recommendation in Review.objects.filter(
        application__call=call, status=ReviewStatus.SUBMITTED
    ).values_list("pk", "application_id", "recommendation"):
        review_app[review_id] = application_id
        recommendations[application_id].append(recommendation)
    for review_id, criterion_id, score in Score.objects.filter(
        review__application__call=call, review__status=ReviewStatus.SUBMITTED
    ).values_list("review_id", "criterion_id", "score"):
        by_review[review_id][criterion_id] = score
    per_application: dict[int, list[dict[int, int]]] = defaultdict(list)
    for review_id, application_id in review_app.items():
        per_application[application_id].append(by_review[review_id])

    rows = []
    for application in applications:
        row = RankingRow(application=application)
        reviews = per_application.get(application.pk, [])
        row.reviews = len(reviews)
        row.recommendations = sorted(recommendations.get(application.pk, []))
        if reviews:
            for criterion in criteria:
                values = [r[criterion.pk] for r in reviews if criterion.pk in r]
                if values:
                    row.criterion_means[criterion.pk] = (
                        Decimal(sum(values)) / len(values)
                    ).quantize(Decimal("0.01"))
                    if row.criterion_means[criterion.pk] < criterion.min_score:
                        row.below_minimum.append(criterion.label)
            totals = [t for t in (_weighted(r, criteria) for r in reviews) if t is not None]
            if totals:
                row.weighted = (sum(totals) / len(totals)).quantize(Decimal("0.01"))
                row.spread = (max(totals) - min(totals)).quantize(Decimal("0.01"))
                row.disagreement = row.spread >= DISAGREEMENT_SPREAD or (
                    len(set(row.recommendations)) > 1 and "declined" in row.recommendations
                )
        row.means = [row.criterion_means.get(c.pk) for c in criteria]
        rows.append(row)
    rows.sort(key=lambda r: (r.weighted is None, -(r.weighted or 0), r.application.pk))
    return criteria, rows
