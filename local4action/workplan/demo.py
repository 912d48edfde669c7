"""The demo work plan, added by `manage.py seed_demo` (after the demo people, initiatives, events
and surveys).

The 2025 work plan is imported through the importer from `fixtures/demo_2025.md`, the way staff
upload it, then followed through the year: every action has an owner from the demo staff and
the team of its pillar, a due date at the end of a quarter, and a status with its log of dated
updates — most actions done, some on track or delayed with a recent update, one at risk and
one not started left without update for months (what the reminders are for), one dropped.
Actions on the HUBs point to the demo HUBs (all of them for the establishment of the HUBs),
those on the forum, the seminar and the campaign messages to the demo events, those on
consultations to the demo surveys; SDGs follow the text.

Tracking rows are written with the ORM, dated in the past as the services would have left
them (the services date everything now). Everything follows the actions' order and today's
date: the same document gives the same demo. A 2025 plan already there is left alone: running
the command again adds nothing."""

import datetime
import re
from pathlib import Path

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from local4action.accounts.models import Organization, User
from local4action.calls.demo import STAFF
from local4action.core.models import Goal
from local4action.events.demo import BARCELONA_SLUG, BOARD_EVENT_SLUG, SEMINAR_SLUG
from local4action.events.models import Event
from local4action.surveys.demo import CONSULTATION_SLUG, FEEDBACK_SLUG
from local4action.surveys.models import Survey

from . import importer, services
from .choices import Status
from .models import Action, ActionUpdate, WorkPlan

YEAR = 2025
DOCUMENT = Path(__file__).parent / "fixtures" / "demo_2025.md"
OWNERS = (STAFF, "staff@local4action.test")
TEAMS = {
    1: "Programmes",
    2: "Advocacy",
    3: "Monitoring and research",
    4: "Learning",
    5: "Network and communication",
}
ADOPTED = datetime.date(YEAR, 1, 10)

# The states actions take in turn: (final status, [(when, status, progress, note)]). `when` is
# a month of the plan's year, or ("ago", days) for an update that many days before today.
STATES = [
    (
        Status.DONE,
        [
            (3, Status.ON_TRACK, 40, "Preparations started with the regional sections."),
            (6, Status.ON_TRACK, 80, "Most of the work is done."),
            (10, Status.DONE, 100, "Completed as planned."),
        ],
    ),
    (
        Status.DONE,
        [
            (4, Status.ON_TRACK, 50, "Half-way, on schedule."),
            (9, Status.DONE, 100, "Completed."),
        ],
    ),
    (
        Status.ON_TRACK,
        [
            (5, Status.ON_TRACK, 30, "Continues into the next plan."),
            (("ago", 12), Status.ON_TRACK, 70, "Second phase under way."),
        ],
    ),
    (Status.DONE, [(6, Status.DONE, 100, "Done in one go.")]),
    (
        Status.DELAYED,
        [
            (4, Status.ON_TRACK, 20, "Started."),
            (("ago", 20), Status.DELAYED, 35, "Waiting for the partners' input."),
        ],
    ),
    (
        Status.DONE,
        [
            (2, Status.ON_TRACK, 30, "First steps taken."),
            (7, Status.DONE, 100, "Completed, report shared with the governing bodies."),
        ],
    ),
    (Status.AT_RISK, [(6, Status.AT_RISK, 45, "Funding not yet confirmed.")]),
    (Status.DONE, [(11, Status.DONE, 100, "Completed at the end of the year.")]),
    (
        Status.DROPPED,
        [
            (3, Status.ON_TRACK, 10, "Started."),
            (9, Status.DROPPED, 10, "Merged into another action after the mid-year review."),
        ],
    ),
    (Status.NOT_STARTED, []),
]

# Words of an action's text → what it points to.
EVENTS = [("forum", BARCELONA_SLUG), ("seminar", SEMINAR_SLUG), ("messages", BOARD_EVENT_SLUG)]
SURVEYS = [("survey the participants", FEEDBACK_SLUG), ("consult the members", CONSULTATION_SLUG)]
PARTNERS = [("with the un", "un-habitat"), ("universities", "xjtu")]
SDGS = [
    ("climate", 13),
    ("finance", 17),
    ("data", 17),
    ("voluntary local review", 11),
    ("public spaces", 11),
    ("localization", 11),
    ("hub", 11),
]


def _when(when, today: datetime.date) -> datetime.datetime:
    if isinstance(when, tuple):
        day = today - datetime.timedelta(days=when[1])
    else:
        day = datetime.date(YEAR, when, 15)
    day = max(day, ADOPTED + datetime.timedelta(days=1))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _track(action: Action, index: int, owners: list[User], today: datetime.date) -> None:
    status, history = STATES[index % len(STATES)]
    author = owners[index % len(owners)]
    updates = [
        (
            _when(when, today),
            ActionUpdate(action=action, author=author, status=s, progress=p, note=n),
        )
        for when, s, p, n in history
    ]
    ActionUpdate.objects.bulk_create([update for _at, update in updates])
    for at, update in updates:  # created_at is set on creation: date it afterwards
        ActionUpdate.objects.filter(pk=update.pk).update(created_at=at)
    quarter_end = [(3, 31), (6, 30), (9, 30), (12, 31)][index % 4]
    Action.objects.filter(pk=action.pk).update(
        status=status,
        progress=history[-1][2] if history else 0,
        owner=author,
        owner_team=TEAMS.get(action.section.pillar.number, ""),
        due_date=datetime.date(YEAR, *quarter_end),
        last_update_at=updates[-1][0] if updates else None,
        version=1 + len(updates),
        created_at=timezone.make_aware(datetime.datetime.combine(ADOPTED, datetime.time(9))),
    )


def _link(action: Action, hubs: list, index: int) -> None:
    text = action.text_plain.casefold()
    if "hub" in text and hubs:
        action.initiatives.set(hubs if "establishment" in text else [hubs[index % len(hubs)]])
    events = [slug for word, slug in EVENTS if word in text]
    action.events.set(Event.objects.filter(slug__in=events))
    surveys = [slug for word, slug in SURVEYS if word in text]
    action.surveys.set(Survey.objects.filter(slug__in=surveys))
    partners = [slug for word, slug in PARTNERS if word in text]
    action.partners.set(Organization.objects.filter(slug__in=partners))
    goals = {int(n) for n in re.findall(r"\bSDG (\d{1,2})\b", action.text_plain)}
    goals |= {number for word, number in SDGS if word in text}
    action.sdgs.set(Goal.objects.filter(number__in=goals))


def _hubs() -> list:
    from local4action.initiatives.choices import InitiativeStatus
    from local4action.monitoring.demo import demo_initiatives

    found = demo_initiatives().values()
    return sorted((i for i in found if i.status == InitiativeStatus.LABELLED), key=lambda i: i.slug)


def seed_plan(*, today: datetime.date | None = None) -> WorkPlan | None:
    """Import and track the demo plan unless a plan of its year exists; returns it if new."""
    today = today or timezone.localdate()
    if WorkPlan.objects.filter(year=YEAR).exists():
        return None
    parsed = importer.read_document(DOCUMENT.name, DOCUMENT.read_bytes())
    if parsed.blocking:
        raise ValueError(f"{DOCUMENT.name} does not import: {parsed.problems}")
    owners = list(User.objects.filter(email__in=OWNERS).order_by("email"))
    hubs = _hubs()
    with transaction.atomic():
        plan = services.plan_import(
            actor=owners[0],
            parsed=parsed,
            year=YEAR,
            language="en",
            title=parsed.title,
            source_name=DOCUMENT.name,
        )
        WorkPlan.objects.filter(pk=plan.pk).update(
            created_at=timezone.make_aware(datetime.datetime.combine(ADOPTED, datetime.time(9)))
        )
        actions = plan.actions.select_related("section__pillar").order_by("position")
        for index, action in enumerate(actions):
            _track(action, index, owners, today)
            _link(action, hubs, index)
    return plan


def seed(stdout) -> None:
    """Add the demo work plan if missing, and say what it holds."""
    created = seed_plan()
    plan = WorkPlan.objects.get(year=YEAR)
    statuses = {
        row["status"]: row["n"]
        for row in plan.actions.order_by().values("status").annotate(n=Count("pk"))
    }
    stdout.write(
        f"Demo work plan {plan.year}{' (new)' if created else ''}: "
        f"{plan.pillars.count()} pillars, {plan.sections.count()} sections, "
        f"{plan.actions.count()} actions ("
        + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
        + f"), {ActionUpdate.objects.filter(action__plan=plan).count()} updates."
    )
