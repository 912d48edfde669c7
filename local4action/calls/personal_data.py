"""What the calls app holds about a person: applications they wrote, their reviews."""

from typing import Any

from django.db.models import Q

from local4action.core.personal_data import records

from .models import Application, Attachment, Call, ConflictOfInterest, Review, Score

MODELS = (
    "calls.Call",
    "calls.Application",
    "calls.Attachment",
    "calls.ConflictOfInterest",
    "calls.Review",
)


def export(user) -> dict[str, Any]:
    reviews = Review.objects.filter(reviewer=user)
    return {
        "applications_worked_on": [
            {"id": a.pk, "call": a.call.title, "status": a.status}
            for a in Application.objects.filter(Q(created_by=user) | Q(last_saved_by=user))
            .select_related("call")
            .order_by("pk")
        ],
        "attachments_uploaded": records(
            Attachment.objects.filter(uploaded_by=user), exclude=("file",)
        ),
        "reviews": records(reviews),
        "review_scores": records(Score.objects.filter(review__in=reviews)),
        "conflicts_of_interest": records(ConflictOfInterest.objects.filter(reviewer=user)),
        "calls_created": [
            {"id": c.pk, "title": c.title} for c in Call.objects.filter(created_by=user)
        ],
    }


def erase(user) -> None:
    """Nothing is deleted: applications belong to their organization, and reviews and
    declared conflicts of interest must stay for the decisions they support. They keep
    pointing at the account, which is anonymized, so the reviewer becomes a former member."""
