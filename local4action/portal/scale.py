"""Realistic volumes for load benchmarks (`manage.py seed_scale`): organizations, initiatives
with their links, places and search column, monitoring, events, surveys, the exchange space and
a work plan, all written with `bulk_create` (no `save()`, so no signals: every column the
signals or services would derive is computed here the way they compute it, and
`check_sample` compares a sample with the app's own functions).

Each module draws from its own `random.Random` seeded from the seed and the module's name, so
the same seed and batch size give the same data (its dates relative to the day of the run),
and skipping or changing a module leaves the others as they were. Totals are exact
(`expected_counts`): per-row numbers vary around their mean in pairs that cancel out."""

import dataclasses
import datetime
import itertools
import random
import sys
import uuid
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from tqdm import tqdm

from local4action.accounts.choices import (
    MembershipRole,
    MembershipStatus,
    OrganizationKind,
    OrganizationStatus,
)
from local4action.accounts.models import Membership, Organization, User
from local4action.core import search
from local4action.core.models import Goal, PolicyArea, RegionalSection, Target
from local4action.core.models import Indicator as SdgIndicator
from local4action.events.choices import (
    Attendance,
    EventKind,
    RegistrationStatus,
    Visibility,
)
from local4action.events.models import Event, Registration
from local4action.exchange.models import Follow, Post, Thread
from local4action.initiatives import search as initiative_search
from local4action.initiatives import services as initiative_services
from local4action.initiatives.choices import InitiativeStatus, Scale
from local4action.initiatives.models import Initiative, InitiativeTranslation, Location
from local4action.monitoring import services as monitoring_services
from local4action.monitoring.choices import Direction
from local4action.monitoring.models import Indicator, Measurement
from local4action.surveys.answers import clean_answer
from local4action.surveys.choices import Audience, OnePer, QuestionKind, ResponseStatus
from local4action.surveys.models import Answer, Page, Question, Response, Survey
from local4action.workplan.choices import Axis, Status, Tier
from local4action.workplan.importer import html_to_plain
from local4action.workplan.models import Action, Pillar, Section, WorkPlan

from .words import ADJECTIVES, CITIES, LANGUAGE_INDEX, SUMMARIES, TITLES, TOPICS  # noqa: F401

# Word lists (cities, concepts and patterns: words.py) -----------------------------------------

LANGUAGES = ("en", "fr", "es")
FIRST_NAMES = [
    "Ana", "Amadou", "Fatima", "Jean", "Maria", "Kenji", "Olga", "Carlos", "Aisha", "Lucas",
    "Nadia", "Tomás", "Grace", "Mehmet", "Priya", "Léa", "Samuel", "Yuki", "Omar", "Sofía",
]  # fmt: skip
LAST_NAMES = [
    "Diallo", "Silva", "Martin", "García", "Okafor", "Tanaka", "Ivanova", "Rossi", "Haddad",
    "Nguyen", "Mensah", "López", "Dubois", "Kaya", "Sharma", "Costa", "Mwangi", "Santos",
]  # fmt: skip
# (name, unit, direction); "{a}" is a topic.
INDICATORS = [
    ("Households with access to {a}", "households", Direction.HIGHER),
    ("Residents satisfied with {a}", "%", Direction.HIGHER),
    ("People reached by the {a} programme", "people", Direction.HIGHER),
    ("Jobs created in {a}", "jobs", Direction.HIGHER),
    ("Budget spent on {a}", "EUR", Direction.HIGHER),
    ("Volunteers in {a} committees", "people", Direction.HIGHER),
    ("Waste sent to landfill", "tonnes", Direction.LOWER),
    ("Emissions linked to {a}", "tCO2e", Direction.LOWER),
    ("Average travel time to {a} services", "minutes", Direction.LOWER),
    ("Days of {a} service disruption", "days", Direction.LOWER),
]
EVENT_TITLES = {
    EventKind.WORKSHOP: "Workshop on {a} and {b}",
    EventKind.SEMINAR: "{city} seminar: {adj} {a}",
    EventKind.CONFERENCE: "Conference on {adj} {a} ({city})",
    EventKind.WEBINAR: "Webinar: {a} in practice",
    EventKind.WORKING_SESSION: "Working session on {a}",
}
THREAD_TITLES = {
    "en": ["How do you fund {a}?", "Lessons learnt on {a} and {b}", "Looking for partners: {a}"],
    "fr": ["Comment financer {a} ?", "Leçons sur {a} et {b}", "Recherche de partenaires : {a}"],
    "es": ["¿Cómo financiar {a}?", "Lecciones sobre {a} y {b}", "Buscamos socios: {a}"],
}
POSTS = {
    "en": [
        "In our city the {a} plan started with a survey of {n} households.",
        "We tried the same with {a}; the committee met every month and it helped.",
        "Thanks for sharing. How did you measure the results on {b}?",
        "Our budget for {a} was voted in the spring, with {n} residents taking part.",
    ],
    "fr": [
        "Chez nous le plan {a} a commencé par une enquête auprès de {n} foyers.",
        "Nous avons essayé la même chose avec {a} ; le comité se réunit chaque mois.",
        "Merci du partage. Comment avez-vous mesuré les résultats sur {b} ?",
        "Notre budget pour {a} a été voté au printemps, avec {n} habitants.",
    ],
    "es": [
        "En nuestra ciudad el plan de {a} empezó con una encuesta a {n} hogares.",
        "Probamos lo mismo con {a}; el comité se reunía cada mes y ayudó.",
        "Gracias por compartir. ¿Cómo midieron los resultados en {b}?",
        "Nuestro presupuesto para {a} se votó en primavera, con {n} vecinos.",
    ],
}
ACTIONS = [
    "Support {n} member cities on {a} and {b}",
    "Publish a guide on {adj} {a} in three languages",
    "Run a peer-learning session on {a}",
    "Map the initiatives working on {a}",
    "Report to the UN on local action for {a}",
]

# Volumes ---------------------------------------------------------------------------------------

INDICATORS_PER_INITIATIVE = (10, 6)  # mean, ± spread
MEASUREMENTS_PER_INDICATOR = (10, 5)
REGISTRATIONS_PER_EVENT = (50, 20)
RESPONSES_PER_SURVEY = (100, 30)
POSTS_PER_THREAD = (5, 3)
WORKPLAN_ACTIONS = 400
SAMPLE = 200


def expected_counts(initiatives: int) -> dict[str, int]:
    """What a run with this many initiatives writes, in the order of the summary line."""
    organizations = max(1, initiatives // 2)
    events = max(1, initiatives // 100)
    surveys = max(1, initiatives // 1000)
    threads = max(1, initiatives // 50)
    indicators = INDICATORS_PER_INITIATIVE[0] * initiatives
    return {
        "initiatives": initiatives,
        "organizations": organizations,
        "indicators": indicators,
        "measurements": MEASUREMENTS_PER_INDICATOR[0] * indicators,
        "events": events,
        "registrations": REGISTRATIONS_PER_EVENT[0] * events,
        "surveys": surveys,
        "responses": RESPONSES_PER_SURVEY[0] * surveys,
        "threads": threads,
        "posts": POSTS_PER_THREAD[0] * threads,
        "actions": WORKPLAN_ACTIONS,
    }


def people_count(initiatives: int) -> int:
    # Enough distinct people for the largest event and survey.
    return max(REGISTRATIONS_PER_EVENT[0] * 4, initiatives // 20)


class DatabaseNotEmpty(Exception):
    pass


class SampleMismatch(Exception):
    pass


# Helpers ---------------------------------------------------------------------------------------


def module_random(seed: int, module: str) -> random.Random:
    return random.Random(f"{seed}:{module}")


def spread(rng: random.Random, count: int, mean: int, width: int) -> list[int]:
    """`count` numbers between mean − width and mean + width that add up to mean × count."""
    numbers = []
    for _ in range(count // 2):
        delta = rng.randint(0, width)
        numbers += [mean + delta, mean - delta]
    if count % 2:
        numbers.append(mean)
    rng.shuffle(numbers)
    return numbers


def chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Stemmer:
    """core.search.document with its stems remembered (same words, same stemmer)."""

    def __init__(self):
        self.stems: dict[tuple[str, str], str] = {}

    def document(self, *texts: str, language: str) -> str:
        out = []
        for text in texts:
            for word in search.words(text):
                key = (word, language)
                if key not in self.stems:
                    self.stems[key] = search.stem(word, language)
                out.append(self.stems[key])
        return f" {' '.join(out)} " if out else ""


def bar(total: int, name: str, progress: bool) -> tqdm:
    return tqdm(
        total=total, desc=f"{name:<13}", unit=" rows", file=sys.stderr, disable=not progress
    )


def coordinate(value: float, limit: int) -> float:
    return round(max(-limit, min(limit, value)), 5)


def topic(rng: random.Random, language: str = "en", k: int = 1) -> list[str]:
    index = LANGUAGE_INDEX[language]
    return [TOPICS[t][index] for t in rng.sample(range(len(TOPICS)), k)]


# Pure generation (no database): what the builders insert ---------------------------------------


@dataclasses.dataclass
class InitiativePlan:
    title: str
    summary: str
    language: str
    status: str
    labelled_days_ago: int | None
    translations: list[tuple[str, str, str]]  # (language, title, summary)
    goals: list[int]  # SDG numbers
    areas: list[int]  # indexes into the policy areas
    places: list[tuple[str, float, float]]
    partners: list[int]  # indexes into the organizations
    scale: str
    start_year: int
    years: int


def plan_organizations(seed: int, count: int) -> list[dict]:
    rng = module_random(seed, "organizations")
    rows = []
    for i in range(count):
        city = CITIES[i % len(CITIES)]
        regional = rng.random() < 0.15
        if regional:
            kind, name = OrganizationKind.REGIONAL_GOVERNMENT, f"Region of {city[0]} {i}"
            section = rng.choices([city[2], "forum-of-regions"], weights=[60, 40])[0]
        else:
            kind, name = OrganizationKind.LOCAL_GOVERNMENT, f"{city[0]} district {i}"
            section = rng.choices([city[2], "metropolitan"], weights=[90, 10])[0]
        rows.append(
            {
                "city": city,
                "name": name,
                "slug": f"{slugify(name)}-scale",
                "kind": kind,
                "section": section,
                "latitude": coordinate(city[3] + rng.gauss(0, 0.8), 90),
                "longitude": coordinate(city[4] + rng.gauss(0, 0.8), 180),
                "population": rng.randrange(5_000, 3_000_000 if regional else 800_000, 100),
            }
        )
    return rows


def plan_initiatives(
    seed: int, count: int, *, homes: list[tuple], goal_numbers: list[int], area_count: int
):
    """`count` initiatives, one at a time (the builder draws them batch by batch):
    `(index, owner's index in homes, plan)`."""
    rng = module_random(seed, "initiatives")
    # A few concepts are common, most rarer (Zipf-like): a word finds a few hundred to a few
    # thousand initiatives, as in bench/portal.py.
    weights = [1 / (rank + 1) ** 0.7 for rank in range(len(TOPICS))]
    goal_weights = [5 if number == 11 else 1 for number in goal_numbers]

    def texts(language, city, concepts, adjective, years, size):
        index = LANGUAGE_INDEX[language]
        a, b, c = (TOPICS[k][index] for k in concepts)
        title = rng.choice(TITLES[language]).format(
            adj=ADJECTIVES[adjective][index], a=a, b=b, city=city
        )
        title = title[0].upper() + title[1:]
        summary = SUMMARIES[language].format(city=city, a=a, b=b, c=c, years=years, n=size)
        return title, summary

    for i in range(count):
        owner = rng.randrange(len(homes))
        city = homes[owner]
        language = rng.choices(LANGUAGES, weights=[50, 25, 25])[0]
        concepts = rng.choices(range(len(TOPICS)), weights=weights, k=3)
        adjective = rng.randrange(len(ADJECTIVES))
        years, size = rng.randint(2, 5), rng.randrange(50, 5000, 10)
        title, summary = texts(language, city[0], concepts, adjective, years, size)
        translations = []
        if rng.random() < 0.3:
            other = rng.choice([x for x in LANGUAGES if x != language])
            translations.append((other, *texts(other, city[0], concepts, adjective, years, size)))
        roll = rng.random()
        if roll < 0.05:
            status = InitiativeStatus.DRAFT
        elif roll < 0.1:
            status = InitiativeStatus.SUBMITTED
        elif roll < 0.6:
            status = InitiativeStatus.LABELLED
        elif roll < 0.65:
            status = InitiativeStatus.COMPLETED
        else:
            status = InitiativeStatus.ACCOMPANIED
        labelled = status in (InitiativeStatus.LABELLED, InitiativeStatus.COMPLETED)
        goals: set[int] = set()
        while len(goals) < rng.choice((1, 1, 2, 2, 3)):
            goals.add(rng.choices(goal_numbers, weights=goal_weights)[0])
        places = [
            (
                city[0] if k == 0 else f"{city[0]} ({k + 1})",
                coordinate(city[3] + rng.gauss(0, 0.6), 90),
                coordinate(city[4] + rng.gauss(0, 0.6), 180),
            )
            for k in range(rng.choice((1, 1, 1, 2)))
        ]
        partners = []
        if rng.random() < 0.25:
            partners = sorted(
                {rng.randrange(len(homes)) for _ in range(rng.randint(1, 2))} - {owner}
            )
        yield (
            i,
            owner,
            InitiativePlan(
                title=title,
                summary=summary,
                language=language,
                status=status,
                labelled_days_ago=rng.randrange(30, 8 * 365) if labelled else None,
                translations=translations,
                goals=sorted(goals),
                areas=rng.sample(range(area_count), min(area_count, rng.choice((1, 2)))),
                places=places,
                partners=partners,
                scale=rng.choice([Scale.LOCAL, Scale.LOCAL, Scale.REGIONAL]),
                start_year=rng.randint(2016, 2026),
                years=years,
            ),
        )


# Builders: one per module ------------------------------------------------------------------------


@transaction.atomic
def seed_organizations(*, seed: int, count: int, batch: int, progress: bool) -> list[dict]:
    """Approved local governments (and some regional ones) over the regional sections, with
    coordinates. Returns the rows with their primary keys ("pk")."""
    sections = dict(RegionalSection.objects.values_list("slug", "pk"))
    rows = plan_organizations(seed, count)
    now = timezone.now()
    with bar(count, "organizations", progress) as shown:
        for part in chunks(rows, batch):
            created = Organization.objects.bulk_create(
                [
                    Organization(
                        name=row["name"],
                        slug=row["slug"],
                        kind=row["kind"],
                        country=row["city"][1],
                        regional_section_id=sections[row["section"]],
                        latitude=row["latitude"],
                        longitude=row["longitude"],
                        population=row["population"],
                        status=OrganizationStatus.APPROVED,
                        decided_at=now,
                    )
                    for row in part
                ]
            )
            for row, organization in zip(part, created, strict=True):
                row["pk"] = organization.pk
            shown.update(len(part))
    return rows


@transaction.atomic
def seed_people(
    *, seed: int, count: int, organizations: list[dict], batch: int, progress: bool
) -> list[dict]:
    """People with an unusable password, each an active member of one organization."""
    rng = module_random(seed, "people")
    rows = []
    for i in range(count):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        home = organizations[rng.randrange(len(organizations))]
        rows.append(
            {
                "name": name,
                "email": f"{slugify(name).replace('-', '.')}.{i}@scale.local4action.test",
                "language": rng.choices(LANGUAGES, weights=[50, 25, 25])[0],
                "organization": home,
                "role": rng.choices(
                    [MembershipRole.MEMBER, MembershipRole.EDITOR, MembershipRole.ADMIN],
                    weights=[70, 20, 10],
                )[0],
            }
        )
    with bar(count, "people", progress) as shown:
        for part in chunks(rows, batch):
            users = User.objects.bulk_create(
                [
                    User(
                        email=row["email"],
                        name=row["name"],
                        language=row["language"],
                        time_zone=row["organization"]["city"][5],
                        password=make_password(None),
                    )
                    for row in part
                ]
            )
            for row, user in zip(part, users, strict=True):
                row["pk"] = user.pk
            Membership.objects.bulk_create(
                [
                    Membership(
                        user_id=row["pk"],
                        organization_id=row["organization"]["pk"],
                        role=row["role"],
                        status=MembershipStatus.ACTIVE,
                    )
                    for row in part
                ]
            )
            shown.update(len(part))
    return rows


@transaction.atomic
def seed_initiatives(
    *, seed: int, count: int, organizations: list[dict], batch: int, progress: bool
) -> list[int]:
    """Initiatives with translations, SDGs, targets, policy areas, partners, places and the
    search column (initiatives.search.document_of). Returns their primary keys."""
    goals = dict(Goal.objects.values_list("number", "pk"))
    targets: dict[int, list[int]] = {}
    for pk, number in Target.objects.order_by("pk").values_list("pk", "goal__number"):
        targets.setdefault(number, []).append(pk)
    areas = list(PolicyArea.objects.order_by("pk").values_list("pk", flat=True))
    homes = [row["city"] for row in organizations]
    stemmer = Stemmer()
    now = timezone.now()
    rng = module_random(seed, "initiative-links")
    ids = []
    planned = plan_initiatives(
        seed, count, homes=homes, goal_numbers=sorted(goals), area_count=len(areas)
    )
    with bar(count, "initiatives", progress) as shown:
        for _start in range(0, count, batch):
            plans = list(itertools.islice(planned, batch))
            rows = []
            for i, owner, plan in plans:
                parts = [stemmer.document(plan.title, plan.summary, language=plan.language)] + [
                    stemmer.document(title, summary, language=language)
                    for language, title, summary in plan.translations
                ]
                words = " ".join(part.strip() for part in parts if part.strip())
                start_date = datetime.date(plan.start_year, rng.randint(1, 12), 1)
                rows.append(
                    Initiative(
                        slug=f"{slugify(plan.title)[:190]}-{i}",
                        title=plan.title,
                        summary=plan.summary,
                        language=plan.language,
                        lead_organization_id=organizations[owner]["pk"],
                        status=plan.status,
                        labelled_at=(
                            now - datetime.timedelta(days=plan.labelled_days_ago)
                            if plan.labelled_days_ago is not None
                            else None
                        ),
                        scale=plan.scale,
                        start_date=start_date,
                        end_date=start_date.replace(year=start_date.year + plan.years),
                        search_text=f" {words} " if words else "",
                    )
                )
            created = Initiative.objects.bulk_create(rows)
            translations, goal_links, target_links, area_links, partner_links, places = (
                [] for _ in range(6)
            )
            for initiative, (_i, _owner, plan) in zip(created, plans, strict=True):
                pk = initiative.pk
                ids.append(pk)
                for language, title, summary in plan.translations:
                    translations.append(
                        InitiativeTranslation(
                            initiative_id=pk, language=language, title=title, summary=summary
                        )
                    )
                for number in plan.goals:
                    goal_links.append(
                        Initiative.goals.through(initiative_id=pk, goal_id=goals[number])
                    )
                    if targets.get(number):
                        target_links.append(
                            Initiative.targets.through(
                                initiative_id=pk, target_id=rng.choice(targets[number])
                            )
                        )
                for index in plan.areas:
                    area_links.append(
                        Initiative.policy_areas.through(
                            initiative_id=pk, policyarea_id=areas[index]
                        )
                    )
                for index in plan.partners:
                    partner_links.append(
                        Initiative.partners.through(
                            initiative_id=pk, organization_id=organizations[index]["pk"]
                        )
                    )
                for name, latitude, longitude in plan.places:
                    places.append(
                        Location(
                            initiative_id=pk, name=name, latitude=latitude, longitude=longitude
                        )
                    )
            InitiativeTranslation.objects.bulk_create(translations)
            Initiative.goals.through.objects.bulk_create(goal_links)
            Initiative.targets.through.objects.bulk_create(target_links)
            Initiative.policy_areas.through.objects.bulk_create(area_links)
            Initiative.partners.through.objects.bulk_create(partner_links)
            Location.objects.bulk_create(places)
            shown.update(len(rows))
    return ids


def _amount(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


@transaction.atomic
def seed_monitoring(
    *,
    seed: int,
    initiatives: list[int],
    today: datetime.date,
    batch: int,
    progress: bool,
    copy: bool = False,
) -> int:
    """Indicators (baseline before target, target beyond the baseline in the indicator's
    direction) and dated totals from after the baseline to before today; each indicator's
    latest value as monitoring.services.refresh_latest keeps it. `copy` writes the
    measurements with PostgreSQL's COPY instead of bulk_create. Returns the measurements."""
    rng = module_random(seed, "monitoring")
    official = list(SdgIndicator.objects.order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    mean, width = INDICATORS_PER_INITIATIVE
    per_chunk = max(1, batch // mean)
    total = 0
    with bar(len(initiatives) * mean, "indicators", progress) as shown:
        for part in chunks(initiatives, per_chunk):
            indicators, series = [], []
            for initiative_id, count in zip(part, spread(rng, len(part), mean, width), strict=True):
                for n_measures in spread(rng, count, *MEASUREMENTS_PER_INDICATOR):
                    name, unit, direction = rng.choice(INDICATORS)
                    name = name.format(a=topic(rng)[0])
                    baseline_date = today - datetime.timedelta(days=rng.randint(1500, 2800))
                    target_date = baseline_date + datetime.timedelta(days=365 * rng.randint(4, 8))
                    if unit == "%":
                        baseline = rng.uniform(5, 60)
                        target = rng.uniform(baseline + 5, 100)
                    elif direction == Direction.HIGHER:
                        baseline = rng.uniform(10, 5000)
                        target = baseline * rng.uniform(1.2, 3)
                    else:
                        baseline = rng.uniform(10, 5000)
                        target = baseline * rng.uniform(0.2, 0.8)
                    baseline, target = _amount(baseline), _amount(target)
                    pace, step = rng.uniform(0.3, 1.2), rng.randint(30, 90)
                    values = []
                    for k in range(1, n_measures + 1):
                        share = pace * k / n_measures + rng.gauss(0, 0.05)
                        values.append(
                            (
                                baseline_date + datetime.timedelta(days=k * step),
                                _amount(float(baseline) + float(target - baseline) * share),
                            )
                        )
                    indicators.append(
                        Indicator(
                            initiative_id=initiative_id,
                            name=name,
                            unit=unit,
                            direction=direction,
                            baseline_value=baseline,
                            baseline_date=baseline_date,
                            target_value=target,
                            target_date=target_date,
                            sdg_indicator_id=(
                                rng.choice(official) if official and rng.random() < 0.5 else None
                            ),
                            # Dates only grow: the last is the latest total.
                            latest_value=values[-1][1] if values else None,
                            latest_date=values[-1][0] if values else None,
                        )
                    )
                    series.append(values)
            created = Indicator.objects.bulk_create(indicators)
            measurements = [
                (indicator.pk, date, value)
                for indicator, values in zip(created, series, strict=True)
                for date, value in values
            ]
            if copy:
                copy_measurements(measurements, created_at=now)
            else:
                Measurement.objects.bulk_create(
                    [
                        Measurement(
                            indicator_id=indicator_id,
                            date=date,
                            value=value,
                            disaggregation={},
                            created_at=now,
                        )
                        for indicator_id, date, value in measurements
                    ],
                    batch_size=batch,
                )
            total += len(measurements)
            shown.update(len(indicators))
    return total


def copy_measurements(rows: list[tuple], *, created_at: datetime.datetime) -> None:
    """(indicator, date, value) totals through PostgreSQL's COPY, with the values bulk_create
    would write in the other columns: about ten times faster for the largest table."""
    meta = Measurement._meta
    names = ("indicator", "date", "value", "source", "note", "disaggregation", "created_at")
    columns = ", ".join(connection.ops.quote_name(meta.get_field(name).column) for name in names)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {meta.db_table} ({columns}) FROM STDIN") as stream:
            for indicator_id, date, value in rows:
                stream.write_row((indicator_id, date, value, "", "", "{}", created_at))


@transaction.atomic
def seed_events(
    *,
    seed: int,
    count: int,
    organizations: list[dict],
    people: list[dict],
    initiatives: list[int],
    now: datetime.datetime,
    batch: int,
    progress: bool,
) -> tuple[list[int], int]:
    """Published events over the past year and the next months, organized by one or two
    organizations, about SDGs and HUBs, with registrations of distinct people. Returns the
    events' keys and the number of registrations."""
    rng = module_random(seed, "events")
    goals = list(Goal.objects.order_by("number").values_list("pk", flat=True))
    kinds = list(EVENT_TITLES)
    statuses = [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.PENDING,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.DECLINED,
        RegistrationStatus.CANCELLED,
    ]
    event_ids, registrations = [], 0
    sizes = spread(rng, count, *REGISTRATIONS_PER_EVENT)
    with bar(count * REGISTRATIONS_PER_EVENT[0], "registrations", progress) as shown:
        for offset, part in enumerate(chunks(sizes, max(1, batch // 50))):
            events, extras = [], []
            for k, size in enumerate(part):
                i = offset * max(1, batch // 50) + k
                host = organizations[rng.randrange(len(organizations))]
                city = host["city"]
                kind = rng.choice(kinds)
                a, b = topic(rng, k=2)
                title = EVENT_TITLES[kind].format(
                    a=a, b=b, adj=rng.choice(ADJECTIVES)[0], city=city[0]
                )
                title = title[0].upper() + title[1:]
                start_at = (now + datetime.timedelta(days=rng.randint(-365, 180))).replace(
                    hour=rng.choice((7, 9, 13)), minute=0, second=0, microsecond=0
                )
                hours = 2 if kind in (EventKind.WEBINAR, EventKind.WORKING_SESSION) else 8
                days = rng.randint(1, 3) if kind in (EventKind.SEMINAR, EventKind.CONFERENCE) else 0
                end_at = start_at + datetime.timedelta(days=days, hours=hours)
                online = kind == EventKind.WEBINAR
                chosen = rng.sample(people, size)
                answers = [rng.choices(statuses, weights=[70, 12, 6, 6, 6])[0] for _ in chosen]
                confirmed = answers.count(RegistrationStatus.CONFIRMED)
                waiting = RegistrationStatus.WAITLISTED in answers
                events.append(
                    Event(
                        slug=f"{slugify(title)[:180]}-{i}",
                        title=title,
                        kind=kind,
                        description=f"<p>{title}. Open to local and regional governments.</p>",
                        start_at=start_at,
                        end_at=end_at,
                        time_zone=city[5],
                        city="" if online else city[0],
                        country="" if online else city[1],
                        online_url="https://meet.example.org/scale" if online else "",
                        languages=sorted(rng.sample(LANGUAGES, rng.randint(1, 3))),
                        visibility=rng.choices(
                            [Visibility.PUBLIC, Visibility.MEMBERS, Visibility.INVITATION],
                            weights=[80, 15, 5],
                        )[0],
                        capacity=max(1, confirmed) if waiting else None,
                        registration_opens_at=start_at - datetime.timedelta(days=60),
                        registration_closes_at=start_at - datetime.timedelta(days=2),
                        approval_required=rng.random() < 0.7,
                        published=rng.random() < 0.95,
                    )
                )
                extras.append((host, chosen, answers, start_at))
            created = Event.objects.bulk_create(events)
            organizers, goal_links, hub_links, rows = [], [], [], []
            for event, (host, chosen, answers, start_at) in zip(created, extras, strict=True):
                event_ids.append(event.pk)
                organizers.append(
                    Event.organizers.through(event_id=event.pk, organization_id=host["pk"])
                )
                for goal in rng.sample(goals, rng.randint(1, 3)):
                    goal_links.append(Event.goals.through(event_id=event.pk, goal_id=goal))
                for initiative in rng.sample(initiatives, min(len(initiatives), rng.randint(0, 3))):
                    hub_links.append(
                        Event.initiatives.through(event_id=event.pk, initiative_id=initiative)
                    )
                past = start_at < now
                decided = start_at - datetime.timedelta(days=rng.randint(3, 30))
                for person, status in zip(chosen, answers, strict=True):
                    rows.append(
                        Registration(
                            event_id=event.pk,
                            person_id=person["pk"],
                            status=status,
                            attendance=rng.choices(
                                [Attendance.IN_PERSON, Attendance.REMOTE], weights=[80, 20]
                            )[0],
                            organization_id=person["organization"]["pk"],
                            waitlisted_at=decided
                            if status == RegistrationStatus.WAITLISTED
                            else None,
                            decided_at=(
                                decided
                                if status
                                in (RegistrationStatus.CONFIRMED, RegistrationStatus.DECLINED)
                                else None
                            ),
                            cancelled_at=decided
                            if status == RegistrationStatus.CANCELLED
                            else None,
                            checked_in_at=(
                                start_at
                                if past
                                and status == RegistrationStatus.CONFIRMED
                                and rng.random() < 0.8
                                else None
                            ),
                        )
                    )
            Event.organizers.through.objects.bulk_create(organizers)
            Event.goals.through.objects.bulk_create(goal_links)
            Event.initiatives.through.objects.bulk_create(hub_links)
            Registration.objects.bulk_create(rows, batch_size=batch)
            registrations += len(rows)
            shown.update(len(rows))
    return event_ids, registrations


SURVEY_QUESTIONS = [
    {
        "key": "role",
        "kind": QuestionKind.SINGLE,
        "text": {"en": "What is your role?", "fr": "Quel est votre rôle ?"},
        "options": [
            {"value": value, "label": {"en": label}}
            for value, label in [
                ("elected", "Elected official"),
                ("staff", "Staff"),
                ("partner", "Partner"),
            ]
        ],
    },
    {
        "key": "satisfaction",
        "kind": QuestionKind.SCALE,
        "text": {"en": "How useful was the network this year?", "fr": "Utilité du réseau ?"},
        "scale_min": 1,
        "scale_max": 5,
    },
    {
        "key": "priority_sdg",
        "kind": QuestionKind.SDG,
        "text": {"en": "Which SDG is your priority?", "fr": "Quel ODD est votre priorité ?"},
    },
]


@transaction.atomic
def seed_surveys(
    *,
    seed: int,
    count: int,
    people: list[dict],
    now: datetime.datetime,
    batch: int,
    progress: bool,
) -> int:
    """Published member surveys (one page, three questions) with responses of distinct people,
    mostly submitted, their answers stored as surveys.answers.clean_answer stores them.
    Returns the number of responses."""
    rng = module_random(seed, "surveys")
    sections = dict(RegionalSection.objects.values_list("slug", "pk"))
    responses = 0
    sizes = spread(rng, count, *RESPONSES_PER_SURVEY)
    with bar(count * RESPONSES_PER_SURVEY[0], "responses", progress) as shown:
        for i, size in enumerate(sizes):
            (a,) = topic(rng)
            opens_at = now - datetime.timedelta(days=rng.randint(10, 400))
            survey = Survey(
                slug=f"survey-{slugify(a)}-{i}",
                title={"en": f"Survey on {a}", "fr": f"Enquête : {topic(rng, 'fr')[0]}"},
                introduction={"en": "Ten minutes to tell us how the year went."},
                languages=["en", "fr"],
                audience=Audience.MEMBERS,
                opens_at=opens_at,
                closes_at=opens_at + datetime.timedelta(days=rng.randint(14, 60)),
                one_per=OnePer.PERSON,
                published=True,
                results_public=rng.random() < 0.3,
            )
            # One survey at a time: its rows reference its page and questions.
            Survey.objects.bulk_create([survey])
            (page,) = Page.objects.bulk_create([Page(survey_id=survey.pk, position=0)])
            questions = Question.objects.bulk_create(
                [
                    Question(survey_id=survey.pk, page_id=page.pk, position=position, **spec)
                    for position, spec in enumerate(SURVEY_QUESTIONS)
                ]
            )
            rows, answer_sets = [], []
            for person in rng.sample(people, size):
                submitted = rng.random() < 0.9
                home = person["organization"]
                rows.append(
                    Response(
                        survey_id=survey.pk,
                        respondent_id=person["pk"],
                        organization_id=home["pk"],
                        uniqueness_key=f"user:{person['pk']}",
                        token=uuid.UUID(int=rng.getrandbits(128), version=4),
                        status=ResponseStatus.SUBMITTED
                        if submitted
                        else ResponseStatus.IN_PROGRESS,
                        language=person["language"],
                        section_id=sections.get(home["section"]),
                        organization_kind=home["kind"],
                        submitted_at=(
                            opens_at + datetime.timedelta(hours=rng.randint(1, 300))
                            if submitted
                            else None
                        ),
                    )
                )
                given = [
                    rng.choice(["elected", "staff", "partner"]),
                    rng.randint(1, 5),
                    rng.randint(1, 17),
                ]
                answer_sets.append(given if submitted else given[:1])
            created = Response.objects.bulk_create(rows, batch_size=batch)
            answers = []
            for response, given in zip(created, answer_sets, strict=True):
                for question, value in zip(questions, given, strict=False):
                    cleaned = clean_answer(question, value)
                    answers.append(
                        Answer(
                            response_id=response.pk,
                            question_id=question.pk,
                            value=cleaned.value,
                            text=cleaned.text,
                            number=cleaned.number,
                        )
                    )
            Answer.objects.bulk_create(answers, batch_size=batch)
            responses += len(rows)
            shown.update(len(rows))
    return responses


@transaction.atomic
def seed_exchange(
    *,
    seed: int,
    count: int,
    people: list[dict],
    initiatives: list[int],
    events: list[int],
    now: datetime.datetime,
    batch: int,
    progress: bool,
) -> int:
    """Threads about initiatives (mostly), SDGs, policy areas and events, each with its posts
    (replies one level deep), followed by its author; posts_count, last_post_at and the search
    columns as exchange.services writes them. Returns the number of posts."""
    rng = module_random(seed, "exchange")
    goals = list(Goal.objects.order_by("number").values_list("pk", flat=True))
    areas = list(PolicyArea.objects.order_by("pk").values_list("pk", flat=True))
    stemmer = Stemmer()
    total = 0
    sizes = spread(rng, count, *POSTS_PER_THREAD)
    with bar(count * POSTS_PER_THREAD[0], "posts", progress) as shown:
        for part in chunks(sizes, max(1, batch // POSTS_PER_THREAD[0])):
            threads, plans = [], []
            for size in part:
                language = rng.choices(LANGUAGES, weights=[60, 20, 20])[0]
                a, b = topic(rng, language, k=2)
                title = rng.choice(THREAD_TITLES[language]).format(a=a, b=b)
                title = title[0].upper() + title[1:]
                about = rng.choices(["initiative", "goal", "area", "event"], weights=[7, 1, 1, 1])[
                    0
                ]
                if about == "event" and not events:
                    about = "initiative"
                authors = [rng.choice(people)["pk"] for _ in range(size)]
                started = now - datetime.timedelta(minutes=rng.randint(60, 365 * 24 * 60))
                moments = sorted(
                    started + datetime.timedelta(minutes=rng.randint(0, 20 * 24 * 60))
                    for _ in range(size)
                )
                moments[0] = started
                bodies = [
                    rng.choice(POSTS[language]).format(a=a, b=b, n=rng.randrange(20, 2000, 10))
                    for _ in range(size)
                ]
                threads.append(
                    Thread(
                        title=title,
                        initiative_id=rng.choice(initiatives) if about == "initiative" else None,
                        goal_id=rng.choice(goals) if about == "goal" else None,
                        policy_area_id=rng.choice(areas) if about == "area" else None,
                        event_id=rng.choice(events) if about == "event" else None,
                        author_id=authors[0],
                        language=language,
                        posts_count=size,
                        last_post_at=moments[-1],
                        search_text=stemmer.document(title, language=language),
                    )
                )
                # Replies stay one level deep: each answers an earlier top-level post.
                parents: list[int | None] = [None]
                for _ in range(1, size):
                    tops = [k for k, parent in enumerate(parents) if parent is None]
                    parents.append(rng.choice(tops) if rng.random() < 0.3 else None)
                plans.append((language, authors, moments, bodies, parents))
            created = Thread.objects.bulk_create(threads)
            Follow.objects.bulk_create(
                [Follow(thread_id=thread.pk, user_id=thread.author_id) for thread in created]
            )
            posts, moments_of, parents_of = [], [], []
            for thread, (language, authors, moments, bodies, parents) in zip(
                created, plans, strict=True
            ):
                first = len(posts)
                for author, text in zip(authors, bodies, strict=True):
                    body = f"<p>{text}</p>"
                    posts.append(
                        Post(
                            thread_id=thread.pk,
                            author_id=author,
                            body=body,
                            language=language,
                            search_text=stemmer.document(
                                strip_tags(body).strip(), language=language
                            ),
                        )
                    )
                moments_of += moments
                parents_of += [None if parent is None else first + parent for parent in parents]
            top = [post for post, parent in zip(posts, parents_of, strict=True) if parent is None]
            Post.objects.bulk_create(top, batch_size=batch)
            replies = []
            for post, parent in zip(posts, parents_of, strict=True):
                if parent is not None:
                    post.parent_id = posts[parent].pk
                    replies.append(post)
            Post.objects.bulk_create(replies, batch_size=batch)
            # created_at is set on insert (auto_now_add): give each post its own moment after.
            for post, moment in zip(posts, moments_of, strict=True):
                post.created_at = moment
            Post.objects.bulk_update(posts, ["created_at"], batch_size=batch)
            total += len(posts)
            shown.update(len(posts))
    return total


@transaction.atomic
def seed_workplan(
    *,
    seed: int,
    year: int,
    people: list[dict],
    initiatives: list[int],
    progress: bool,
) -> int:
    """One work plan: three pillars, four sections each with three subsections, and the
    actions spread over the subsections. Returns the number of actions."""
    rng = module_random(seed, "workplan")
    goals = list(Goal.objects.order_by("number").values_list("pk", flat=True))
    plan = WorkPlan.objects.bulk_create(
        [WorkPlan(year=year, title=f"Work plan {year}", language="en", source_name="seed_scale")]
    )[0]
    pillars = Pillar.objects.bulk_create(
        [
            Pillar(plan_id=plan.pk, number=number, title=f"Pillar {number}: {topic(rng)[0]}")
            for number in (1, 2, 3)
        ]
    )
    axes = [value for value in Axis.values if value]
    # Positions follow the outline: each section, then its three subsections.
    tops = []
    for p, pillar in enumerate(pillars):
        for k in range(1, 5):
            tops.append(
                Section(
                    plan_id=plan.pk,
                    pillar_id=pillar.pk,
                    number=f"{pillar.number}.{k}",
                    depth=2,
                    position=(p * 4 + k - 1) * 4 + 1,
                    title=f"{topic(rng)[0].capitalize()} and {topic(rng)[0]}",
                    axis=rng.choice(axes),
                )
            )
    Section.objects.bulk_create(tops)
    leaves = Section.objects.bulk_create(
        [
            Section(
                plan_id=plan.pk,
                pillar_id=top.pillar_id,
                parent_id=top.pk,
                number=f"{top.number}.{k}",
                depth=3,
                position=top.position + k,
                title=f"{rng.choice(ADJECTIVES)[0].capitalize()} {topic(rng)[0]}",
                axis=top.axis,
            )
            for top in tops
            for k in range(1, 4)
        ]
    )
    owners = [person["pk"] for person in people[:50]]
    actions, links = [], []
    with bar(WORKPLAN_ACTIONS, "actions", progress) as shown:
        for index in range(WORKPLAN_ACTIONS):
            section = leaves[index % len(leaves)]
            a, b = topic(rng, k=2)
            text = rng.choice(ACTIONS).format(
                a=a, b=b, adj=rng.choice(ADJECTIVES)[0], n=rng.randint(3, 40)
            )
            tier = rng.choices(list(Tier.values), weights=[60, 25, 15])[0]
            status = rng.choices(list(Status.values), weights=[25, 40, 10, 10, 10, 5])[0]
            progress_value = 100 if status == Status.DONE else rng.choice((0, 10, 25, 50, 75, 90))
            if status == Status.NOT_STARTED:
                progress_value = 0
            html = f"<strong>{text}</strong>"
            actions.append(
                Action(
                    plan_id=plan.pk,
                    section_id=section.pk,
                    position=index // len(leaves) + 1,
                    text=html,
                    text_plain=html_to_plain(html),
                    tier=tier,
                    partner_name="UN-Habitat" if tier == Tier.PARTNERSHIP else "",
                    owner_team=rng.choice(["Learning", "Advocacy", "Research", "Networks"]),
                    owner_id=rng.choice(owners) if owners else None,
                    status=status,
                    progress=progress_value,
                    due_date=datetime.date(year, rng.randint(1, 12), 28),
                )
            )
        created = Action.objects.bulk_create(actions)
        for action in created:
            for goal in rng.sample(goals, rng.randint(0, 2)):
                links.append(Action.sdgs.through(action_id=action.pk, goal_id=goal))
        Action.sdgs.through.objects.bulk_create(links)
        hubs = []
        for action in created:
            if initiatives and rng.random() < 0.3:
                hubs.append(
                    Action.initiatives.through(
                        action_id=action.pk, initiative_id=rng.choice(initiatives)
                    )
                )
        Action.initiatives.through.objects.bulk_create(hubs)
        shown.update(len(created))
    return len(created)


# The whole run ---------------------------------------------------------------------------------


def seed_scale(
    *,
    initiatives: int,
    seed: int = 2030,
    batch: int = 2000,
    progress: bool = True,
    copy: bool = False,
    now: datetime.datetime | None = None,
) -> dict[str, int]:
    """Fill an empty database (no initiative yet) with `initiatives` initiatives and the
    volumes that go with them (expected_counts); then check a sample, let PostgreSQL analyze
    the tables and tell the cached catalogue its data changed. `copy` (PostgreSQL only)
    writes the measurements with COPY. Returns the counts written."""
    if initiatives < 1 or batch < 1:
        raise ValueError("initiatives and batch must be at least 1")
    if copy and connection.vendor != "postgresql":
        raise ValueError("COPY needs PostgreSQL")
    existing = Initiative.objects.count()
    if existing:
        raise DatabaseNotEmpty(
            f"The database is not empty: it holds {existing} initiative(s). seed_scale only "
            "fills an empty database: create a new one, run `manage.py migrate` on it, then "
            "seed it."
        )
    now = now or timezone.now()
    today = now.date()
    counts = expected_counts(initiatives)
    done: dict[str, int] = {}

    organizations = seed_organizations(
        seed=seed, count=counts["organizations"], batch=batch, progress=progress
    )
    done["organizations"] = len(organizations)
    people = seed_people(
        seed=seed,
        count=people_count(initiatives),
        organizations=organizations,
        batch=batch,
        progress=progress,
    )
    ids = seed_initiatives(
        seed=seed, count=initiatives, organizations=organizations, batch=batch, progress=progress
    )
    done["initiatives"] = len(ids)
    done["measurements"] = seed_monitoring(
        seed=seed, initiatives=ids, today=today, batch=batch, progress=progress, copy=copy
    )
    done["indicators"] = Indicator.objects.count()
    events, done["registrations"] = seed_events(
        seed=seed,
        count=counts["events"],
        organizations=organizations,
        people=people,
        initiatives=ids,
        now=now,
        batch=batch,
        progress=progress,
    )
    done["events"] = len(events)
    done["responses"] = seed_surveys(
        seed=seed, count=counts["surveys"], people=people, now=now, batch=batch, progress=progress
    )
    done["surveys"] = Survey.objects.count()
    done["posts"] = seed_exchange(
        seed=seed,
        count=counts["threads"],
        people=people,
        initiatives=ids,
        events=events,
        now=now,
        batch=batch,
        progress=progress,
    )
    done["threads"] = Thread.objects.count()
    done["actions"] = seed_workplan(
        seed=seed,
        year=today.year,
        people=people,
        initiatives=ids,
        progress=progress,
    )
    # Written in bulk, without the services: store the initiatives' monitoring statuses.
    monitoring_services.statuses_refresh(initiative_ids=ids, today=today)
    check_sample(seed)
    # VACUUM cannot run inside a transaction (tests run in one).
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    initiative_services.data_changed()
    return {name: done[name] for name in counts}


def check_sample(seed: int, size: int = SAMPLE) -> int:
    """Compare the derived columns of a random sample with what the app's own code computes:
    initiatives' search column (initiatives.search.document_of), indicators' latest value
    (the query of monitoring.services.refresh_latest), threads' post count, last post and
    search column, posts' search column. Raises SampleMismatch. Returns the rows checked."""
    rng = module_random(seed, "check")
    checked = 0
    ids = list(Initiative.objects.values_list("pk", flat=True))
    sample = rng.sample(ids, min(size, len(ids)))
    for initiative in Initiative.objects.filter(pk__in=sample).prefetch_related("translations"):
        expected = initiative_search.document_of(initiative)
        if initiative.search_text != expected:
            raise SampleMismatch(f"initiative {initiative.pk}: {initiative.search_text!r}")
        checked += 1
    ids = list(Indicator.objects.values_list("pk", flat=True))
    for indicator in Indicator.objects.filter(pk__in=rng.sample(ids, min(size, len(ids)))):
        latest = (
            Measurement.objects.filter(indicator=indicator, disaggregation={})
            .order_by("-date", "-id")
            .values_list("value", "date")
            .first()
        ) or (None, None)
        if (indicator.latest_value, indicator.latest_date) != latest:
            raise SampleMismatch(f"indicator {indicator.pk}: latest {latest}")
        checked += 1
    ids = list(Thread.objects.values_list("pk", flat=True))
    for thread in Thread.objects.filter(pk__in=rng.sample(ids, min(size, len(ids)))):
        posts = list(thread.posts.all())
        if (
            thread.posts_count != len(posts)
            or thread.last_post_at != max(post.created_at for post in posts)
            or thread.search_text != search.document(thread.title, language=thread.language)
            or any(
                post.search_text
                != search.document(strip_tags(post.body).strip(), language=post.language)
                or (post.parent is not None and post.parent.parent_id is not None)
                for post in posts
            )
        ):
            raise SampleMismatch(f"thread {thread.pk}")
        checked += 1
    return checked
