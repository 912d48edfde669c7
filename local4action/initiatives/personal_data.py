"""What the initiatives app holds about a person: only who registered an initiative."""

from typing import Any

from .models import Initiative

MODELS = ("initiatives.Initiative",)


def export(user) -> dict[str, Any]:
    return {
        "initiatives_created": [
            {"id": i.pk, "title": str(i)} for i in Initiative.objects.filter(created_by=user)
        ]
    }


def erase(user) -> None:
    """Initiatives belong to their organization: they stay, credited to the anonymized
    account."""
