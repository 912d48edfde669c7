"""What the library holds about a person: who added a resource."""

from typing import Any

from .models import Resource

MODELS = ("library.Resource",)


def export(user) -> dict[str, Any]:
    return {
        "resources_added": [
            {"id": r.pk, "title": str(r)} for r in Resource.objects.filter(created_by=user)
        ]
    }


def erase(user) -> None:
    """Published resources stay, credited to the anonymized account."""
