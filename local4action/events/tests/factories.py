import datetime

from django.utils import timezone

from local4action.events.models import Event, Idea, Registration, Session


def make_event(**fields) -> Event:
    """A published public event starting in 30 days for two days, in Madrid's time zone."""
    start = fields.pop("start_at", None) or timezone.now().replace(
        microsecond=0, second=0
    ) + datetime.timedelta(days=30)
    data = {
        "slug": f"event-{Event.objects.count() + 1}",
        "title": "Localizing the SDGs in Barcelona",
        "kind": "conference",
        "start_at": start,
        "end_at": start + datetime.timedelta(days=2),
        "time_zone": "Europe/Madrid",
        "city": "Barcelona",
        "country": "ES",
        "venue": "Palau de Congressos, Barcelona",
        "online_url": "https://meet.example.org/l4a",
        "languages": ["en", "fr", "es"],
        "visibility": "public",
        "capacity": 100,
        "approval_required": False,
        "published": True,
        **fields,
    }
    organizers = data.pop("organizers", [])
    event = Event.objects.create(**data)
    event.organizers.set(organizers)
    return event


def make_session(event: Event, *, minutes_from_start: int = 0, minutes: int = 60, **fields):
    start = event.start_at + datetime.timedelta(minutes=minutes_from_start)
    data = {
        "title": "Welcome",
        "kind": "welcome",
        "start_at": start,
        "end_at": start + datetime.timedelta(minutes=minutes),
        **fields,
    }
    return Session.objects.create(event=event, **data)


def make_registration(event: Event, person, status: str = "confirmed", **fields) -> Registration:
    now = timezone.now()
    return Registration.objects.create(
        event=event,
        person=person,
        status=status,
        waitlisted_at=now if status == "waitlisted" else None,
        **fields,
    )


def make_idea(session: Session, author, text: str = "A city that walks", **fields) -> Idea:
    return Idea.objects.create(session=session, author=author, text=text, **fields)
