"""What the events app holds about a person, and the retention of participants' answers."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from local4action.core.personal_data import records

from .choices import ACTIVE_STATUSES
from .models import Event, Idea, Invitation, Registration, Speaker, SponsorshipRequest, Vote

MODELS = (
    "events.Event",
    "events.Speaker",
    "events.Invitation",
    "events.Registration",
    "events.SponsorshipRequest",
    "events.Idea",
    "events.Vote",
)


def export(user) -> dict[str, Any]:
    registrations = Registration.objects.filter(person=user)
    return {
        "registrations": records(registrations),
        "sponsorship_requests": records(
            SponsorshipRequest.objects.filter(registration__person=user)
        ),
        "invitations": records(
            Invitation.objects.filter(Q(accepted_by=user) | Q(email__iexact=user.email)),
            exclude=("token_hash",),
        ),
        "speaking": records(Speaker.objects.filter(user=user)),
        "ideas": records(Idea.objects.filter(author=user)),
        "votes": records(Vote.objects.filter(voter=user)),
        "events_created": [
            {"id": e.pk, "title": e.title}
            for e in Event.objects.filter(created_by=user).order_by("pk")
        ],
    }


def erase(user) -> None:
    """Places the person holds in events not yet over are cancelled (the next on the waiting
    list gets the seat); every registration is kept as a count (status, attendance) without
    the person's answers or sponsorship justification. Invitations addressed to them lose the
    address; ideas on a co-creation board stay without author; votes stay as counts; speaker
    entries stay, showing the anonymized account."""
    from .services import registration_cancel

    now = timezone.now()
    for registration in Registration.objects.filter(
        person=user, status__in=ACTIVE_STATUSES, event__end_at__gt=now
    ).select_related("event"):
        registration_cancel(actor=user, registration=registration, now=now)
    Registration.objects.filter(person=user).update(answers={})
    SponsorshipRequest.objects.filter(registration__person=user).update(justification="", reason="")
    for invitation in Invitation.objects.filter(Q(accepted_by=user) | Q(email__iexact=user.email)):
        invitation.email = f"deleted-{user.pk}@invalid.example"
        invitation.name = ""
        invitation.save(update_fields=["email", "name"])
    Idea.objects.filter(author=user).update(author=None)


def retention_days() -> int:
    return settings.PARTICIPANT_DATA_RETENTION_DAYS


def purge_participant_data(*, days: int | None = None, now=None) -> dict[str, int]:
    """Remove participants' personal answers (the registration form's answers: role, dietary
    needs…) and sponsorship justifications of events ended more than `days` ago. Statuses,
    attendance and check-ins stay, so counts remain. Running it again changes nothing."""
    days = retention_days() if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    registrations = Registration.objects.filter(event__end_at__lt=cutoff).exclude(answers={})
    sponsorships = SponsorshipRequest.objects.filter(
        registration__event__end_at__lt=cutoff
    ).exclude(justification="", reason="")
    return {
        "registrations": registrations.update(answers={}),
        "sponsorships": sponsorships.update(justification="", reason=""),
    }
