"""Demo events, added by `manage.py seed_demo` (after the demo people, calls and surveys).

- A past seminar week in Paris (Europe/Paris: its times were announced in Paris time, CET)
  with three working sessions as parts of it, each 45–60 minutes with an agenda of 5–30 minute
  items (welcome, presentation, co-creation, rapporteur). Demo members registered, most were
  checked in. "Co-creating the campaign" has a co-creation board of 20 ideas in English,
  French and Spanish under "Imagine a campaign billboard in your city", voted on, one merged
  into another and two retained; its rapporteur published a summary and guidelines, and its
  feedback survey is the surveys demo's workshop feedback.
- An upcoming two-day event in Barcelona (Europe/Madrid), by invitation only: 100 seats,
  EN/FR/ES, an online link, 10 sponsorships, approval required, every registration question,
  an agenda over two days (panels, co-creation, breaks; interpretation, some sessions
  streamed, two in parallel). Invitations were sent; some were accepted, with registrations
  in each status and two sponsorship requests (one granted).

The services refuse to write in the past and send emails, so rows are written directly with
the ORM, as the services would have left them (votes counted on their idea, nobody confirmed
beyond capacity, a sponsorship granted only to an accepted participant within the budget).
An event found by its web address is left alone: running the command again adds nothing.
Dates are relative to today.
"""

import datetime
import secrets
import zoneinfo

from django.db import transaction
from django.utils import timezone

from local4action.accounts.models import Organization, User
from local4action.accounts.selectors import primary_organization
from local4action.calls.demo import STAFF
from local4action.core.models import Goal

from .choices import (
    Attendance,
    EventKind,
    IdeaStatus,
    Question,
    RegistrationStatus,
    SessionKind,
    SponsorshipStatus,
    Visibility,
)
from .models import (
    Event,
    Idea,
    Invitation,
    Registration,
    Session,
    Speaker,
    SponsorshipRequest,
    Vote,
)
from .services import token_hash

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
SEMINAR_SLUG = "seminar-week-localizing-the-sdgs-together"
BOARD_EVENT_SLUG = "working-session-co-creating-the-campaign"
BARCELONA_SLUG = "local4action-forum-barcelona"
FEEDBACK_SURVEY_SLUG = "feedback-working-session-co-creating-the-campaign"
RAPPORTEUR = "staff@local4action.test"
PARTICIPANTS = [
    "bilbao@local4action.test",
    "valongo@local4action.test",
    "xian@local4action.test",
    "dschang@local4action.test",
    "ouahigouya@local4action.test",
    "member@local4action.test",
    "partner@local4action.test",
]
# Not everybody made it to the room (or stayed remote).
NOT_CHECKED_IN = {"partner@local4action.test", "ouahigouya@local4action.test"}


def _local(zone, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


def _people() -> dict[str, User]:
    return {user.email: user for user in User.objects.filter(email__endswith="@local4action.test")}


def _agenda(event: Event, items: list[tuple]) -> list[Session]:
    """Sessions one after another from the event's start: (minutes, kind, title, extra)."""
    sessions, start = [], event.start_at
    for minutes, kind, title, extra in items:
        end = start + datetime.timedelta(minutes=minutes)
        speakers = extra.pop("speakers", [])
        session = Session.objects.create(
            event=event, start_at=start, end_at=end, kind=kind, title=title, **extra
        )
        Speaker.objects.bulk_create(
            Speaker(session=session, position=position, **speaker)
            for position, speaker in enumerate(speakers)
        )
        sessions.append(session)
        start = end
    return sessions


# The past seminar week -----------------------------------------------------------------------

SEMINAR_DESCRIPTION = (
    "<p>A week of working sessions of the Local4Action network in Paris: members and partners "
    "share how they localize the 2030 Agenda and prepare the network's common campaign.</p>"
    "<p>All times are Paris time ({zone}).</p>"
)

# title, day of the week (0 = Monday), start hour, minutes per item, presenter, description
WORKING_SESSIONS = [
    (
        "Working session: Voluntary Local Reviews",
        "working-session-voluntary-local-reviews",
        0,
        14,
        (5, 15, 30, 10),
        "bilbao@local4action.test",
        "<p>How cities report on the SDGs: Bilbao presents its review; the group drafts the "
        "steps of a first review.</p>",
    ),
    (
        "Working session: Co-creating the campaign",
        BOARD_EVENT_SLUG,
        1,
        10,
        (5, 10, 25, 10),
        "dschang@local4action.test",
        "<p>A common message for the network's campaign: each city imagines its billboard.</p>",
    ),
    (
        "Working session: Peer learning between HUBs",
        "working-session-peer-learning-between-hubs",
        2,
        11,
        (5, 10, 20, 10),
        "valongo@local4action.test",
        "<p>What a HUB offers its peers, and how to ask for it.</p>",
    ),
]

# text, city, author (email), votes (emails), status ("merged" points to the idea before it)
IDEAS = [
    (
        "Our city, our goals: 17 ways to live better together",
        "Bilbao",
        "bilbao@local4action.test",
        ["valongo", "xian", "dschang", "ouahigouya", "member"],
        IdeaStatus.RETAINED,
    ),
    (
        "Ma ville agit pour le climat, et toi ?",
        "Dschang",
        "dschang@local4action.test",
        ["bilbao", "ouahigouya", "valongo", "member"],
        IdeaStatus.RETAINED,
    ),
    (
        "Nuestra ciudad, nuestro futuro: los ODS empiezan en tu barrio",
        "Bilbao",
        "member@local4action.test",
        ["bilbao", "xian", "partner"],
        IdeaStatus.OPEN,
    ),
    (
        "Local action, global change",
        "Xi'an",
        "xian@local4action.test",
        ["valongo", "partner", "dschang"],
        IdeaStatus.OPEN,
    ),
    ("Local action, world change", "Valongo", "valongo@local4action.test", [], "merged"),
    (
        "L'eau potable pour chaque quartier d'ici 2030",
        "Ouahigouya",
        "ouahigouya@local4action.test",
        ["dschang", "member"],
        IdeaStatus.OPEN,
    ),
    (
        "Every street a green street",
        "Valongo",
        "valongo@local4action.test",
        ["bilbao", "xian"],
        IdeaStatus.OPEN,
    ),
    (
        "Ici, les ODD se vivent au marché",
        "Dschang",
        "dschang@local4action.test",
        ["ouahigouya"],
        IdeaStatus.OPEN,
    ),
    (
        "Ciudades que cuidan: nadie se queda atrás",
        "Bilbao",
        "bilbao@local4action.test",
        ["member", "valongo"],
        IdeaStatus.OPEN,
    ),
    (
        "Silk Road city, sustainable city",
        "Xi'an",
        "xian@local4action.test",
        ["partner"],
        IdeaStatus.OPEN,
    ),
    (
        "Des femmes élues, des villes plus justes",
        "Ouahigouya",
        "ouahigouya@local4action.test",
        ["dschang", "bilbao", "partner"],
        IdeaStatus.OPEN,
    ),
    (
        "Plant a tree for every child born this year",
        "Valongo",
        "valongo@local4action.test",
        ["xian"],
        IdeaStatus.OPEN,
    ),
    (
        "El transporte público es de todas y todos",
        "Bilbao",
        "member@local4action.test",
        [],
        IdeaStatus.OPEN,
    ),
    (
        "Your neighbourhood, your SDG",
        "Nairobi",
        "partner@local4action.test",
        ["bilbao"],
        IdeaStatus.OPEN,
    ),
    (
        "Zéro déchet au marché central",
        "Dschang",
        "dschang@local4action.test",
        [],
        IdeaStatus.OPEN,
    ),
    (
        "Cultura para todos: bibliotecas abiertas los domingos",
        "Bilbao",
        "bilbao@local4action.test",
        ["valongo"],
        IdeaStatus.OPEN,
    ),
    (
        "Solar lights on every school road",
        "Ouahigouya",
        "ouahigouya@local4action.test",
        ["xian", "member"],
        IdeaStatus.OPEN,
    ),
    (
        "Clean river, proud city",
        "Xi'an",
        "xian@local4action.test",
        [],
        IdeaStatus.OPEN,
    ),
    (
        "La ville de demain se construit avec ses jeunes",
        "Valongo",
        "valongo@local4action.test",
        ["dschang"],
        IdeaStatus.OPEN,
    ),
    (
        "Agua, luz y escuela: los ODS en cada hogar",
        "Bilbao",
        "member@local4action.test",
        ["ouahigouya"],
        IdeaStatus.OPEN,
    ),
]

SUMMARY = (
    "<p>Twenty billboard messages were posted by nine cities in three languages. Three trends "
    "came out of the votes:</p><ul><li>people first: the goals told as everyday life in the "
    "neighbourhood;</li><li>climate and water as the most shared concerns;</li><li>a call to "
    "act together, from the city to the world.</li></ul>"
)
GUIDELINES = (
    "<ol><li>One short sentence, in the city's own language.</li><li>Name the city and the "
    "goals it works on.</li><li>Use the SDG colours.</li><li>Share the billboard with the "
    "network before publishing it, so that messages stay consistent.</li></ol>"
)


def _register(event: Event, people: dict[str, User], emails, *, checked_in: bool) -> None:
    """Accepted registrations (the seminar took no more than its seats)."""
    rows = []
    for email in emails:
        person = people.get(email)
        if person is None:
            continue
        present = checked_in and email not in NOT_CHECKED_IN
        rows.append(
            Registration(
                event=event,
                person=person,
                status=RegistrationStatus.CONFIRMED,
                attendance=Attendance.REMOTE
                if email == "partner@local4action.test"
                else Attendance.IN_PERSON,
                organization=primary_organization(person),
                decided_at=event.registration_closes_at - datetime.timedelta(days=5),
                checked_in_at=event.start_at + datetime.timedelta(minutes=3) if present else None,
            )
        )
    assert event.capacity is None or len(rows) <= event.capacity
    Registration.objects.bulk_create(rows)


def _board(session: Session, people: dict[str, User]) -> None:
    ideas: list[Idea] = []
    for number, (text, city, author, voters, status) in enumerate(IDEAS):
        moment = session.start_at + datetime.timedelta(minutes=1, seconds=40 * number)
        idea = Idea.objects.create(
            session=session,
            author=people.get(author),
            text=text,
            city=city,
            status=IdeaStatus.MERGED if status == "merged" else status,
            merged_into=ideas[-1] if status == "merged" else None,
        )
        votes = [
            Vote(idea=idea, voter=people[f"{name}@local4action.test"])
            for name in voters
            if f"{name}@local4action.test" in people
            and f"{name}@local4action.test" != author  # never one's own idea
        ]
        Vote.objects.bulk_create(votes)
        # `auto_now` fields: the moments the ideas were posted during the session.
        Idea.objects.filter(pk=idea.pk).update(
            votes_count=len(votes), created_at=moment, updated_at=moment
        )
        ideas.append(idea)
    Vote.objects.filter(idea__session=session).update(
        created_at=session.start_at + datetime.timedelta(minutes=20)
    )


def _seed_seminar(*, staff: User, people: dict[str, User], today: datetime.date) -> Event:
    # The Monday of the week three weeks ago.
    monday = today - datetime.timedelta(days=today.weekday() + 21)
    organizers = list(Organization.objects.filter(slug__in=["secretariat", "aiccre"]))
    seminar = Event.objects.create(
        slug=SEMINAR_SLUG,
        title="Seminar week: Localizing the SDGs together",
        kind=EventKind.SEMINAR,
        # Announced in Paris time: CET, or CEST when the week falls in summer time.
        description=SEMINAR_DESCRIPTION.format(zone=_local(PARIS, monday, 9).tzname()),
        start_at=_local(PARIS, monday, 9),
        end_at=_local(PARIS, monday + datetime.timedelta(days=4), 17),
        time_zone="Europe/Paris",
        city="Paris",
        country="FR",
        venue="Maison de la Région, 12 rue de la Paix, Paris",
        online_url="https://meet.example.org/l4a-seminar-week",
        languages=["en", "fr", "es"],
        visibility=Visibility.PUBLIC,
        capacity=60,
        registration_closes_at=_local(PARIS, monday - datetime.timedelta(days=3), 18),
        approval_required=False,
        questions=[Question.ORGANIZATION, Question.ATTENDANCE],
        published=True,
        created_by=staff,
    )
    seminar.organizers.set(organizers)
    seminar.goals.set(Goal.objects.filter(number__in=[11, 17]))
    _register(seminar, people, PARTICIPANTS, checked_in=True)
    rapporteur = people.get(RAPPORTEUR)
    for title, slug, day, hour, minutes, presenter, description in WORKING_SESSIONS:
        start = _local(PARIS, monday + datetime.timedelta(days=day), hour)
        event = Event.objects.create(
            slug=slug,
            title=title,
            kind=EventKind.WORKING_SESSION,
            description=description,
            parent=seminar,
            start_at=start,
            end_at=start + datetime.timedelta(minutes=sum(minutes)),
            time_zone="Europe/Paris",
            city="Paris",
            country="FR",
            venue=seminar.venue,
            online_url=seminar.online_url,
            languages=["en", "fr", "es"],
            visibility=Visibility.PUBLIC,
            capacity=30,
            registration_closes_at=start - datetime.timedelta(days=2),
            approval_required=False,
            published=True,
            created_by=staff,
        )
        event.organizers.set(organizers)
        board = slug == BOARD_EVENT_SLUG
        presenter_user = people.get(presenter)
        sessions = _agenda(
            event,
            [
                (minutes[0], SessionKind.WELCOME, "Welcome and introductions", {}),
                (
                    minutes[1],
                    SessionKind.PRESENTATION,
                    "The experience of " + (presenter_user.name if presenter_user else "a city"),
                    {"speakers": [{"user": presenter_user}] if presenter_user else []},
                ),
                (
                    minutes[2],
                    SessionKind.CO_CREATION,
                    "Billboards for our cities" if board else "In small groups",
                    {
                        "prompt": "Imagine a campaign billboard in your city" if board else "",
                        "billboards": board,
                        "interpretation": ["fr", "es"],
                    },
                ),
                (
                    minutes[3],
                    SessionKind.RAPPORTEUR,
                    "What we heard",
                    {"speakers": [{"user": rapporteur}] if rapporteur else []},
                ),
            ],
        )
        emails = PARTICIPANTS if board else PARTICIPANTS[:5]
        _register(event, people, emails, checked_in=True)
        if board:
            _board(sessions[2], people)
            from local4action.surveys.models import Survey

            event.summary, event.guidelines = SUMMARY, GUIDELINES
            event.summary_published_at = event.end_at + datetime.timedelta(days=1)
            event.feedback_survey = Survey.objects.filter(
                slug=FEEDBACK_SURVEY_SLUG, event__isnull=True
            ).first()
            event.save()
    return seminar


# The upcoming event in Barcelona -------------------------------------------------------------

BARCELONA_DESCRIPTION = (
    "<p>Two days for the members of the Local4Action network to take stock of the HUBs, "
    "prepare the common campaign and agree on the next year's roadmap.</p>"
    "<p>Interpretation between English, French and Spanish in the plenary sessions; the "
    "plenaries are streamed for those who join remotely.</p>"
    "<p><strong>Do not book your travel before your registration is accepted.</strong> "
    "Ten travel and lodging sponsorships are available for members from least developed "
    "countries.</p>"
)
INTERPRETED = {"interpretation": ["en", "fr", "es"], "streamed": True}


def _barcelona_agenda(event: Event, people: dict[str, User]) -> None:
    day1, day2 = event.start_at, event.start_at + datetime.timedelta(days=1)
    staff, bilbao, dschang = (
        people.get("admin@local4action.test"),
        people.get("bilbao@local4action.test"),
        people.get("dschang@local4action.test"),
    )

    def at(day, hour, minute=0):
        return day.replace(hour=hour, minute=minute)

    # start, end, kind, title, extra
    items = [
        (at(day1, 9), at(day1, 9, 30), SessionKind.WELCOME, "Opening", {**INTERPRETED}),
        (
            at(day1, 9, 30),
            at(day1, 11),
            SessionKind.PANEL,
            "Cities leading the 2030 Agenda",
            {
                **INTERPRETED,
                "speakers": [
                    {"user": bilbao},
                    {"name": "Carme Riera", "organization": "Barcelona Provincial Council"},
                    {"name": "Amina Diallo", "organization": "UN-Habitat"},
                ],
            },
        ),
        (at(day1, 11), at(day1, 11, 30), SessionKind.BREAK, "Coffee break", {}),
        (
            at(day1, 11, 30),
            at(day1, 13),
            SessionKind.CO_CREATION,
            "A common message for the campaign",
            {"prompt": "A common message for the campaign", "interpretation": ["fr", "es"]},
        ),
        (at(day1, 13), at(day1, 14, 30), SessionKind.LUNCH, "Lunch", {}),
        # Two tracks in parallel: the agenda flags them.
        (
            at(day1, 14, 30),
            at(day1, 16),
            SessionKind.PANEL,
            "Voluntary Local Reviews: lessons learned",
            {"language": "en", "streamed": True, "speakers": [{"user": dschang}]},
        ),
        (
            at(day1, 14, 30),
            at(day1, 16),
            SessionKind.CO_CREATION,
            "Atelier : échanges entre HUBs",
            {"language": "fr", "prompt": "What can your HUB offer its peers?"},
        ),
        (at(day1, 16), at(day1, 16, 30), SessionKind.BREAK, "Coffee break", {}),
        (
            at(day1, 16, 30),
            at(day1, 17, 30),
            SessionKind.PRESENTATION,
            "The HUBs in figures",
            {**INTERPRETED, "speakers": [{"user": staff}]},
        ),
        (
            at(day2, 9),
            at(day2, 10, 30),
            SessionKind.PANEL,
            "Financing local action",
            {
                **INTERPRETED,
                "speakers": [
                    {"name": "Jean-Paul Mbarga", "organization": "FEICOM"},
                    {"name": "Lucía Gómez", "organization": "AECID"},
                ],
            },
        ),
        (at(day2, 10, 30), at(day2, 11), SessionKind.BREAK, "Coffee break", {}),
        (
            at(day2, 11),
            at(day2, 12, 30),
            SessionKind.CO_CREATION,
            "Billboards for our cities",
            {
                "prompt": "Imagine a campaign billboard in your city",
                "billboards": True,
                "interpretation": ["fr", "es"],
            },
        ),
        (at(day2, 12, 30), at(day2, 14), SessionKind.LUNCH, "Lunch", {}),
        (
            at(day2, 14),
            at(day2, 15, 30),
            SessionKind.CO_CREATION,
            "The roadmap for next year",
            {"prompt": "One step for the network next year", "interpretation": ["fr", "es"]},
        ),
        (at(day2, 15, 30), at(day2, 16), SessionKind.BREAK, "Coffee break", {}),
        (
            at(day2, 16),
            at(day2, 17),
            SessionKind.RAPPORTEUR,
            "Rapporteurs: what we agreed",
            {**INTERPRETED, "speakers": [{"user": people.get(RAPPORTEUR)}]},
        ),
    ]
    for start, end, kind, title, extra in items:
        speakers = [s for s in extra.pop("speakers", []) if s.get("user") or s.get("name")]
        session = Session.objects.create(
            event=event, start_at=start, end_at=end, kind=kind, title=title, **extra
        )
        Speaker.objects.bulk_create(
            Speaker(session=session, position=position, **speaker)
            for position, speaker in enumerate(speakers)
        )


# Invitations: email, name, language, then for those who accepted: registration status,
# attendance, dietary needs, sponsorship (status, travel, lodging, justification) or None.
INVITED = [
    ("bilbao@local4action.test", "Itziar Bilbao", "es", RegistrationStatus.CONFIRMED,
     Attendance.IN_PERSON, "", None),
    ("dschang@local4action.test", "Awa Dschang", "fr", RegistrationStatus.CONFIRMED,
     Attendance.IN_PERSON, "Halal",
     (SponsorshipStatus.GRANTED, True, True,
      "Dschang has no budget for international travel this year; I present our VLR.")),
    ("ouahigouya@local4action.test", "Issa Ouahigouya", "fr", RegistrationStatus.PENDING,
     Attendance.IN_PERSON, "",
     (SponsorshipStatus.REQUESTED, True, False,
      "Burkina Faso is a least developed country; our commune cannot pay the flight.")),
    ("member@local4action.test", "Mikel Member", "es", RegistrationStatus.CONFIRMED,
     Attendance.REMOTE, "", None),
    ("xian@local4action.test", "Li Wei", "en", RegistrationStatus.WAITLISTED,
     Attendance.IN_PERSON, "Vegetarian", None),
    ("valongo@local4action.test", "João Valongo", "en", RegistrationStatus.CANCELLED,
     Attendance.IN_PERSON, "", None),
    ("partner@local4action.test", "Paul Partner", "en", None, None, "", None),
    ("kasama@local4action.test", "Chanda Kasama", "en", None, None, "", None),
    ("mayor@cuenca.example.org", "Alcaldía de Cuenca", "es", None, None, "", None),
    ("international@montreal.example.org", "Ville de Montréal", "fr", None, None, "", None),
    ("sdg@gaziantep.example.org", "Gaziantep Metropolitan Municipality", "en", None, None, "",
     None),
    ("office@almaty.example.org", "City of Almaty", "en", None, None, "", None),
]  # fmt: skip


def _seed_barcelona(*, staff: User, people: dict[str, User], today: datetime.date) -> Event:
    start_day = today + datetime.timedelta(days=45)
    event = Event.objects.create(
        slug=BARCELONA_SLUG,
        title="Local4Action Forum: Localizing the SDGs in Barcelona",
        kind=EventKind.CONFERENCE,
        description=BARCELONA_DESCRIPTION,
        start_at=_local(MADRID, start_day, 9),
        end_at=_local(MADRID, start_day + datetime.timedelta(days=1), 17),
        time_zone="Europe/Madrid",
        city="Barcelona",
        country="ES",
        venue="Recinte Modernista de Sant Pau, Carrer de Sant Antoni Maria Claret 167, Barcelona",
        online_url="https://meet.example.org/l4a-forum-barcelona",
        languages=["en", "fr", "es"],
        visibility=Visibility.INVITATION,
        capacity=100,
        registration_opens_at=timezone.now() - datetime.timedelta(days=10),
        registration_closes_at=_local(MADRID, start_day - datetime.timedelta(days=14), 23, 59),
        approval_required=True,
        questions=list(Question.values),
        sponsorship_budget=10,
        published=True,
        created_by=staff,
    )
    event.organizers.set(Organization.objects.filter(slug__in=["secretariat", "diba"]))
    event.goals.set(Goal.objects.filter(number__in=[11, 16, 17]))
    _barcelona_agenda(event, people)
    sent = timezone.now() - datetime.timedelta(days=9)
    for email, name, language, status, attendance, dietary, sponsorship in INVITED:
        person = people.get(email)
        invitation = Invitation.objects.create(
            event=event,
            email=email,
            name=name,
            language=language,
            # The demo sends no email: nobody knows the link, only its hash is kept.
            token_hash=token_hash(secrets.token_urlsafe(32)),
            invited_by=staff,
            sent_at=sent,
            accepted_by=person if status else None,
            accepted_at=sent + datetime.timedelta(days=2) if status else None,
        )
        if status is None or person is None:
            continue
        organization = primary_organization(person)
        registration = Registration.objects.create(
            event=event,
            person=person,
            status=status,
            attendance=attendance,
            organization=organization,
            invitation=invitation,
            answers={
                Question.ROLE: "Mayor's office" if language != "en" else "International relations",
                Question.ORGANIZATION: organization.name if organization else "",
                Question.DIETARY: dietary,
                Question.ACCESSIBILITY: "",
                Question.ATTENDANCE: attendance,
                Question.LANGUAGES: [language, "en"] if language != "en" else ["en"],
            },
            waitlisted_at=sent + datetime.timedelta(days=3)
            if status == RegistrationStatus.WAITLISTED
            else None,
            decided_at=sent + datetime.timedelta(days=3)
            if status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
            else None,
            cancelled_at=sent + datetime.timedelta(days=5)
            if status == RegistrationStatus.CANCELLED
            else None,
        )
        if sponsorship:
            decision, travel, lodging, justification = sponsorship
            granted = decision == SponsorshipStatus.GRANTED
            SponsorshipRequest.objects.create(
                registration=registration,
                travel=travel,
                lodging=lodging,
                justification=justification,
                status=decision,
                decided_by=staff if granted else None,
                decided_at=sent + datetime.timedelta(days=4) if granted else None,
            )
    return event


# Entry point ---------------------------------------------------------------------------------


def seed(stdout) -> None:
    """Create the demo events that are missing (found by web address), and say what is
    there."""
    today = timezone.localdate(timezone.now(), PARIS)
    created = []
    with transaction.atomic():
        staff = User.objects.get(email=STAFF)
        people = _people()
        if not Event.objects.filter(slug=SEMINAR_SLUG).exists():
            created.append(_seed_seminar(staff=staff, people=people, today=today))
        if not Event.objects.filter(slug=BARCELONA_SLUG).exists():
            created.append(_seed_barcelona(staff=staff, people=people, today=today))
    events = Event.objects.filter(slug__in=[SEMINAR_SLUG, BARCELONA_SLUG])
    ideas = Idea.objects.filter(session__event__slug=BOARD_EVENT_SLUG)
    stdout.write(
        f"Demo events: {events.count()} events ({len(created)} new) with "
        f"{Event.objects.filter(parent__slug=SEMINAR_SLUG).count()} working sessions, "
        f"{Registration.objects.filter(event__in=events).count()} registrations to the main "
        f"events, {ideas.count()} ideas on the co-creation board."
    )
