"""What the network app holds about a person: offers, needs and connections they wrote."""

from typing import Any

from django.db.models import Q

from local4action.core.personal_data import records

from .models import Connection, ExchangeItem

MODELS = ("network.ExchangeItem", "network.Connection")


def export(user) -> dict[str, Any]:
    return {
        "offers_and_needs": records(ExchangeItem.objects.filter(created_by=user)),
        "connections": records(
            Connection.objects.filter(Q(requested_by=user) | Q(decided_by=user))
        ),
    }


def erase(user) -> None:
    """Offers, needs and connections are the initiatives' own: they stay, credited to the
    anonymized account."""
