"""Demo surveys, added by `manage.py seed_demo`.

- A closed consultation of members ahead of the World Congress (one answer per organization,
  results public) with a few hundred submitted responses across the regional sections. The
  demo has few organizations, so 300 approved local and regional governments are added for it
  (no people: their responses are written directly, with the ORM, in bulk; every answer is
  built by `answers.clean_answer`, so it is stored exactly as the services would store it).
- An open survey of members, "Localizing the SDGs in your country, 2026", on three pages with
  questions shown only for some answers; a few demo members have answered it, through the
  services.
- The feedback survey of a workshop (the event feedback template) for a list of demo people,
  some of whom have answered.

A survey that exists already (found by its web address) is left alone, and the demo
organizations are found by theirs: running the command again adds nothing.
"""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify

from local4action.accounts.choices import (
    MembershipRole,
    MembershipStatus,
    OrganizationKind,
    OrganizationStatus,
)
from local4action.accounts.models import Membership, Organization, User
from local4action.calls.demo import STAFF
from local4action.core.models import RegionalSection

from . import services
from .answers import clean_answer
from .choices import Audience, OnePer, QuestionKind, ResponseStatus
from .models import Answer, AnswerItem, Page, Question, Response, Survey

CONSULTATION_SLUG = "consultation-world-congress-priorities"
OPEN_SLUG = "localizing-the-sdgs-in-your-country-2026"
FEEDBACK_SLUG = "feedback-working-session-co-creating-the-campaign"
DEMO_ORGANIZATION_PREFIX = "demo-"
# Share of the demo organizations that answered the consultation, and of those, who did not
# finish before it closed.
ANSWERED, UNFINISHED = 0.88, 0.05


def _l(en: str, fr: str, es: str) -> dict:
    return {"en": en, "fr": fr, "es": es}


def _options(*triples) -> list[dict]:
    return [{"value": value, "label": _l(en, fr, es)} for value, en, fr, es in triples]


# Demo organizations --------------------------------------------------------------------------

# Per section: the prefixes of names (English, as organizations name themselves in the
# directory), the kind, the language they answer in, and real towns with their country.
REGIONS = {
    "africa": (
        ["Commune of", "Municipality of", "City Council of"],
        OrganizationKind.LOCAL_GOVERNMENT,
        ["fr", "en", "fr"],
        [
            ("Kindia", "GN"),
            ("Mbour", "SN"),
            ("Ziguinchor", "SN"),
            ("Bouaké", "CI"),
            ("Kumasi", "GH"),
            ("Kisumu", "KE"),
            ("Nakuru", "KE"),
            ("Mzuzu", "MW"),
            ("Gulu", "UG"),
            ("Tsévié", "TG"),
            ("Parakou", "BJ"),
            ("Essaouira", "MA"),
        ],
    ),
    "asia-pacific": (
        ["City of", "Municipality of", "Town of"],
        OrganizationKind.LOCAL_GOVERNMENT,
        ["en"],
        [
            ("Iloilo", "PH"),
            ("Naga", "PH"),
            ("Surakarta", "ID"),
            ("Bandung", "ID"),
            ("Pokhara", "NP"),
            ("Dhulikhel", "NP"),
            ("Jaffna", "LK"),
            ("Suwon", "KR"),
            ("Gwangju", "KR"),
            ("Toyama", "JP"),
            ("Hue", "VN"),
            ("Shah Alam", "MY"),
        ],
    ),
    "eurasia": (
        ["City of", "Municipality of", "Town of"],
        OrganizationKind.LOCAL_GOVERNMENT,
        ["en"],
        [
            ("Kazan", "RU"),
            ("Yekaterinburg", "RU"),
            ("Shymkent", "KZ"),
            ("Karaganda", "KZ"),
            ("Osh", "KG"),
            ("Bishkek", "KG"),
            ("Khujand", "TJ"),
            ("Samarkand", "UZ"),
            ("Gyumri", "AM"),
            ("Batumi", "GE"),
            ("Kutaisi", "GE"),
            ("Ganja", "AZ"),
        ],
    ),
    "europe": (
        ["Municipality of", "City of", "Town Council of"],
        OrganizationKind.LOCAL_GOVERNMENT,
        ["en", "fr", "es"],
        [
            ("Tampere", "FI"),
            ("Umeå", "SE"),
            ("Ghent", "BE"),
            ("Utrecht", "NL"),
            ("Grenoble", "FR"),
            ("Strasbourg", "FR"),
            ("Pamplona", "ES"),
            ("Vitoria-Gasteiz", "ES"),
            ("Braga", "PT"),
            ("Bologna", "IT"),
            ("Ljubljana", "SI"),
            ("Gdańsk", "PL"),
        ],
    ),
    "latin-america": (
        ["Municipality of", "City of", "Municipal Government of"],
        OrganizationKind.LOCAL_GOVERNMENT,
        ["es", "es", "es", "en"],
        [
            ("Rosario", "AR"),
            ("Mendoza", "AR"),
            ("Valparaíso", "CL"),
            ("Medellín", "CO"),
            ("Manizales", "CO"),
            ("Loja", "EC"),
            ("Arequipa", "PE"),
            ("Cochabamba", "BO"),
            ("Montevideo", "UY"),
            ("Puebla", "MX"),
            ("Mérida", "MX"),
            ("Niterói", "BR"),
        ],
    ),
    "mewa": (
        ["Municipality of", "City of", "Metropolitan Municipality of"],
        OrganizationKind.LOCAL_GOVERNMENT,
        ["en", "fr"],
        [
            ("Izmir", "TR"),
            ("Konya", "TR"),
            ("Bursa", "TR"),
            ("Irbid", "JO"),
            ("Zarqa", "JO"),
            ("Byblos", "LB"),
            ("Tripoli", "LB"),
            ("Ramallah", "PS"),
            ("Sfax", "TN"),
            ("Sousse", "TN"),
            ("Erbil", "IQ"),
            ("Salalah", "OM"),
        ],
    ),
    "north-america": (
        ["City of", "Town of", "Municipality of"],
        OrganizationKind.LOCAL_GOVERNMENT,
        ["en", "en", "fr"],
        [
            ("Guelph", "CA"),
            ("Sherbrooke", "CA"),
            ("Gatineau", "CA"),
            ("Halifax", "CA"),
            ("Saskatoon", "CA"),
            ("Burlington", "US"),
            ("Ann Arbor", "US"),
            ("Boulder", "US"),
            ("Asheville", "US"),
            ("Madison", "US"),
            ("Santa Fe", "US"),
            ("Duluth", "US"),
        ],
    ),
    "metropolitan": (
        ["Metropolitan Area of", "Metropolitan Government of", "Greater"],
        OrganizationKind.LOCAL_GOVERNMENT,
        ["en", "es", "fr"],
        [
            ("Lyon", "FR"),
            ("Lisbon", "PT"),
            ("Guadalajara", "MX"),
            ("São Paulo", "BR"),
            ("Johannesburg", "ZA"),
            ("Abidjan", "CI"),
            ("Seoul", "KR"),
            ("Bogotá", "CO"),
            ("Tunis", "TN"),
            ("Dakar", "SN"),
            ("Quito", "EC"),
            ("Manila", "PH"),
        ],
    ),
    "forum-of-regions": (
        ["Region of", "Province of", "Regional Government of"],
        OrganizationKind.REGIONAL_GOVERNMENT,
        ["en", "fr", "es"],
        [
            ("Flanders", "BE"),
            ("Catalonia", "ES"),
            ("Basque Country", "ES"),
            ("Brittany", "FR"),
            ("Occitanie", "FR"),
            ("Quebec", "CA"),
            ("Jalisco", "MX"),
            ("Antioquia", "CO"),
            ("Gauteng", "ZA"),
            ("Western Cape", "ZA"),
            ("Lombardy", "IT"),
            ("Minas Gerais", "BR"),
        ],
    ),
}
ORGANIZATIONS_PER_SECTION = 34  # 9 × 34 = 306


def demo_organization_rows() -> list[tuple[str, str, str, str, str]]:
    """(slug, name, kind, country, section slug) of the consultation's organizations: the
    same every time, so that they are found again."""
    rows = []
    for section, (prefixes, kind, _languages, towns) in REGIONS.items():
        names = [(f"{prefix} {town}", country) for prefix in prefixes for town, country in towns]
        for name, country in names[:ORGANIZATIONS_PER_SECTION]:
            rows.append(
                (f"{DEMO_ORGANIZATION_PREFIX}{slugify(name)}", name, kind, country, section)
            )
    return rows


def _seed_organizations(sections: dict[str, RegionalSection]) -> list[Organization]:
    rows = demo_organization_rows()
    existing = set(
        Organization.objects.filter(slug__in=[row[0] for row in rows]).values_list(
            "slug", flat=True
        )
    )
    Organization.objects.bulk_create(
        Organization(
            slug=slug,
            name=name,
            kind=kind,
            country=country,
            regional_section=sections[section],
            status=OrganizationStatus.APPROVED,
        )
        for slug, name, kind, country, section in rows
        if slug not in existing
    )
    organizations = list(
        Organization.objects.filter(slug__in=[row[0] for row in rows])
        .select_related("regional_section")
        .order_by("slug")
    )
    _seed_contacts(organizations)
    return organizations


def _seed_contacts(organizations: list[Organization]) -> None:
    """Each demo organization has one contact person (who cannot log in), so it is in the
    members' audience and the consultation's response rate means something."""
    without = [o for o in organizations if not o.memberships.exists()]
    users = User.objects.bulk_create(
        User(
            email=f"contact@{o.slug}.demo.test",
            name=f"Contact, {o.name}"[:150],
            password=make_password(None),
        )
        for o in without
    )
    Membership.objects.bulk_create(
        Membership(
            user=user,
            organization=organization,
            role=MembershipRole.ADMIN,
            status=MembershipStatus.ACTIVE,
        )
        for user, organization in zip(users, without, strict=True)
    )


# The closed consultation ---------------------------------------------------------------------

CONSULTATION = {
    "title": _l(
        "Consultation ahead of the World Congress: priorities of local and regional governments",
        "Consultation en vue du Congrès mondial : priorités des gouvernements locaux et régionaux",
        "Consulta previa al Congreso Mundial: prioridades de los gobiernos locales y regionales",
    ),
    "introduction": _l(
        "The World Congress will adopt the political agenda of the network for the coming "
        "years. Tell us, on behalf of your government, what it should put first. One answer "
        "per member organization; about ten minutes.",
        "Le Congrès mondial adoptera l’agenda politique du réseau pour les années à venir. "
        "Dites-nous, au nom de votre gouvernement, ce qu’il doit placer en premier. Une "
        "réponse par organisation membre ; environ dix minutes.",
        "El Congreso Mundial adoptará la agenda política de la red para los próximos años. "
        "Díganos, en nombre de su gobierno, qué debe poner en primer lugar. Una respuesta por "
        "organización miembro; unos diez minutos.",
    ),
}
POLICY_AREAS = _options(
    ("gender", "Gender equality", "Égalité de genre", "Igualdad de género"),
    (
        "migration",
        "Migration and inclusive cities",
        "Migrations et villes inclusives",
        "Migración y ciudades inclusivas",
    ),
    (
        "ecological",
        "Ecological transition and resilience",
        "Transition écologique et résilience",
        "Transición ecológica y resiliencia",
    ),
    ("finance", "Local finance", "Finances locales", "Finanzas locales"),
    (
        "intermediary",
        "Intermediary cities",
        "Villes intermédiaires",
        "Ciudades intermedias",
    ),
    ("regions", "Regions", "Régions", "Regiones"),
    ("culture", "Culture", "Culture", "Cultura"),
    ("health", "Health", "Santé", "Salud"),
    ("peace", "Peace", "Paix", "Paz"),
)
DEMANDS = _options(
    (
        "climate_finance",
        "Direct access to climate finance",
        "Accès direct à la finance climat",
        "Acceso directo a la financiación climática",
    ),
    (
        "un_seat",
        "A seat at the table of the United Nations",
        "Une place à la table des Nations unies",
        "Un lugar en la mesa de las Naciones Unidas",
    ),
    (
        "decentralization",
        "Fiscal decentralization",
        "Décentralisation fiscale",
        "Descentralización fiscal",
    ),
    (
        "data",
        "Localized data and indicators",
        "Données et indicateurs localisés",
        "Datos e indicadores localizados",
    ),
    (
        "peer_learning",
        "Peer learning between cities",
        "Apprentissage entre pairs",
        "Aprendizaje entre pares",
    ),
)
SUPPORT_ROWS = _options(
    ("advocacy", "Advocacy", "Plaidoyer", "Incidencia"),
    ("learning", "Learning", "Apprentissage", "Aprendizaje"),
    ("networking", "Networking", "Mise en réseau", "Trabajo en red"),
    ("visibility", "Visibility", "Visibilité", "Visibilidad"),
)
CONSULTATION_PAGES = [
    (
        _l("Priorities", "Priorités", "Prioridades"),
        [
            {
                "key": "axis",
                "kind": QuestionKind.SINGLE,
                "required": True,
                "text": _l(
                    "Which axis of the Pact for the Future should the Congress put first?",
                    "Quel axe du Pacte pour l’avenir le Congrès doit-il placer en premier ?",
                    "¿Qué eje del Pacto para el Futuro debe poner primero el Congreso?",
                ),
                "options": _options(
                    ("people", "People", "Personnes", "Personas"),
                    ("planet", "Planet", "Planète", "Planeta"),
                    ("government", "Government", "Gouvernement", "Gobierno"),
                ),
            },
            {
                "key": "policy_areas",
                "kind": QuestionKind.MULTIPLE,
                "required": True,
                "max_choices": 3,
                "allow_other": True,
                "text": _l(
                    "Which policy areas matter most to your territory? (up to three)",
                    "Quels domaines d’action comptent le plus pour votre territoire ? "
                    "(trois au plus)",
                    "¿Qué ámbitos de política importan más a su territorio? (hasta tres)",
                ),
                "options": POLICY_AREAS,
            },
            {
                "key": "urgent_goal",
                "kind": QuestionKind.SDG,
                "required": True,
                "text": _l(
                    "Which Sustainable Development Goal is the most urgent for your territory?",
                    "Quel objectif de développement durable est le plus urgent pour votre "
                    "territoire ?",
                    "¿Qué Objetivo de Desarrollo Sostenible es el más urgente para su territorio?",
                ),
            },
            {
                "key": "demands",
                "kind": QuestionKind.RANKING,
                "text": _l(
                    "Rank these demands to national governments and the UN, most important first.",
                    "Classez ces demandes aux gouvernements nationaux et à l’ONU, la plus "
                    "importante en premier.",
                    "Ordene estas demandas a los gobiernos nacionales y a la ONU, la más "
                    "importante primero.",
                ),
                "options": DEMANDS,
            },
        ],
    ),
    (
        _l(
            "Your government and the network",
            "Votre gouvernement et le réseau",
            "Su gobierno y la red",
        ),
        [
            {
                "key": "country",
                "kind": QuestionKind.COUNTRY,
                "required": True,
                "text": _l(
                    "In which country is your government?",
                    "Dans quel pays se trouve votre gouvernement ?",
                    "¿En qué país está su gobierno?",
                ),
            },
            {
                "key": "influence",
                "kind": QuestionKind.SCALE,
                "required": True,
                "scale_min": 1,
                "scale_max": 5,
                "scale_labels": {
                    "1": _l("None", "Aucune", "Ninguna"),
                    "5": _l("A great deal", "Très grande", "Muy grande"),
                },
                "text": _l(
                    "How much say does your government have in your country's national SDG "
                    "strategy?",
                    "Quel poids votre gouvernement a-t-il dans la stratégie nationale des ODD "
                    "de votre pays ?",
                    "¿Cuánto peso tiene su gobierno en la estrategia nacional de los ODS de "
                    "su país?",
                ),
            },
            {
                "key": "support",
                "kind": QuestionKind.MATRIX,
                "scale_min": 1,
                "scale_max": 4,
                "scale_labels": {
                    "1": _l("Poorly", "Mal", "Mal"),
                    "4": _l("Very well", "Très bien", "Muy bien"),
                },
                "rows": SUPPORT_ROWS,
                "text": _l(
                    "How well does the network support you in each of these?",
                    "Dans quelle mesure le réseau vous soutient-il dans chacun de ces domaines ?",
                    "¿En qué medida le apoya la red en cada uno de estos ámbitos?",
                ),
            },
            {
                "key": "message",
                "kind": QuestionKind.LONG_TEXT,
                "text": _l(
                    "Your message to the World Congress",
                    "Votre message au Congrès mondial",
                    "Su mensaje al Congreso Mundial",
                ),
            },
        ],
    ),
]
# Leanings by section, so that filtered results differ: (axis, favoured policy areas).
LEANINGS = {
    "africa": ("people", ["finance", "health", "intermediary"]),
    "asia-pacific": ("planet", ["ecological", "health", "intermediary"]),
    "eurasia": ("government", ["finance", "regions", "culture"]),
    "europe": ("planet", ["ecological", "migration", "gender"]),
    "latin-america": ("people", ["gender", "peace", "ecological"]),
    "mewa": ("people", ["migration", "peace", "finance"]),
    "north-america": ("planet", ["ecological", "migration", "health"]),
    "metropolitan": ("government", ["migration", "finance", "ecological"]),
    "forum-of-regions": ("government", ["regions", "finance", "ecological"]),
}
URGENT_GOALS = {
    "africa": [6, 1, 3, 4],
    "asia-pacific": [11, 13, 6],
    "eurasia": [11, 8, 7],
    "europe": [13, 11, 10, 7],
    "latin-america": [5, 10, 16, 11],
    "mewa": [6, 16, 11, 8],
    "north-america": [13, 11, 10],
    "metropolitan": [11, 13, 10],
    "forum-of-regions": [13, 8, 11],
}
MESSAGES = {
    "en": [
        "Local governments deliver most of the SDG targets: give us the means.",
        "We need direct access to finance, not more pilot projects.",
        "Listen to intermediary cities, not only to capitals.",
        "Make the localization of the SDGs part of every national plan.",
        "Peer learning between cities has changed how we plan: keep it going.",
    ],
    "fr": [
        "Les collectivités mettent en œuvre l’essentiel des ODD : donnez-nous les moyens.",
        "Nous avons besoin d’un accès direct aux financements, pas de nouveaux projets pilotes.",
        "Écoutez les villes intermédiaires, pas seulement les capitales.",
        "La localisation des ODD doit figurer dans chaque plan national.",
    ],
    "es": [
        "Los gobiernos locales cumplen la mayoría de las metas de los ODS: dennos los medios.",
        "Necesitamos acceso directo a la financiación, no más proyectos piloto.",
        "Escuchen a las ciudades intermedias, no solo a las capitales.",
        "La localización de los ODS debe estar en cada plan nacional.",
    ],
}
OTHER_AREAS = ["Housing", "Digital inclusion", "Water", "Youth employment", "Food systems"]


def _create_survey(*, staff: User, slug: str, fields: dict, pages: list) -> Survey:
    """A survey with its pages and questions, conditions by key (`when`: (key, values))."""
    survey = Survey.objects.create(slug=slug, created_by=staff, **fields)
    by_key = {}
    for position, (title, questions) in enumerate(pages):
        page = Page.objects.create(survey=survey, position=position, title=title)
        for number, spec in enumerate(questions):
            spec = dict(spec)
            when = spec.pop("when", None)
            if when:
                spec["condition_question"] = by_key[when[0]]
                spec["condition_values"] = when[1]
            by_key[spec["key"]] = Question.objects.create(
                survey=survey, page=page, position=number, **spec
            )
    return survey


def _consultation_answers(rng: random.Random, organization: Organization, language: str) -> dict:
    """One organization's answers by key, raw as a respondent would give them; with `other`
    texts under "other:<key>"."""
    section = organization.regional_section.slug
    axis, favoured = LEANINGS[section]
    axes = ["people", "planet", "government"]
    areas = [option["value"] for option in POLICY_AREAS]
    weights = [4 if area in favoured else 1 for area in areas]
    chosen: list[str] = []
    while len(chosen) < rng.choice([1, 2, 3, 3]):
        area = rng.choices(areas, weights)[0]
        if area not in chosen:
            chosen.append(area)
    answers = {
        "axis": axis if rng.random() < 0.55 else rng.choice(axes),
        "policy_areas": chosen,
        "urgent_goal": rng.choice(URGENT_GOALS[section])
        if rng.random() < 0.7
        else rng.randint(1, 17),
        "country": organization.country.code,
        "influence": rng.choices(
            [1, 2, 3, 4, 5], [3, 5, 4, 2, 1] if section != "europe" else [1, 2, 4, 4, 2]
        )[0],
    }
    if rng.random() < 0.08:
        answers["policy_areas"] = chosen[:2] + ["other"]
        answers["other:policy_areas"] = rng.choice(OTHER_AREAS)
    if rng.random() < 0.85:
        demands = [option["value"] for option in DEMANDS]
        rng.shuffle(demands)
        if section in ("africa", "latin-america", "asia-pacific") and rng.random() < 0.5:
            demands.remove("climate_finance")
            demands.insert(0, "climate_finance")
        answers["demands"] = demands[: rng.choice([3, 5, 5])]
    if rng.random() < 0.9:
        answers["support"] = {
            row["value"]: rng.choices([1, 2, 3, 4], [1, 3, 4, 2])[0]
            for row in SUPPORT_ROWS
            if rng.random() < 0.92
        }
    if rng.random() < 0.35:
        answers["message"] = rng.choice(MESSAGES[language])
    return answers


def _seed_consultation(*, staff: User, rng: random.Random, now: datetime.datetime) -> Survey:
    sections = {section.slug: section for section in RegionalSection.objects.all()}
    organizations = _seed_organizations(sections)
    closes = (now - datetime.timedelta(days=24)).replace(hour=17, minute=0, second=0, microsecond=0)
    opens = closes - datetime.timedelta(days=42)
    survey = _create_survey(
        staff=staff,
        slug=CONSULTATION_SLUG,
        fields={
            **CONSULTATION,
            "languages": ["en", "fr", "es"],
            "audience": Audience.MEMBERS,
            "one_per": OnePer.ORGANIZATION,
            "anonymous": False,
            "editable_until_close": True,
            "published": True,
            "results_public": True,
            "opens_at": opens,
            "closes_at": closes,
        },
        pages=CONSULTATION_PAGES,
    )
    questions = {question.key: question for question in survey.questions.all()}
    last_page = len(CONSULTATION_PAGES)
    responses, raw = [], []
    for organization in organizations:
        if rng.random() > ANSWERED:
            continue
        languages = REGIONS[organization.regional_section.slug][2]
        language = rng.choice(languages)
        started = opens + datetime.timedelta(minutes=rng.randint(60, 41 * 24 * 60))
        finished = rng.random() > UNFINISHED
        submitted = min(started + datetime.timedelta(minutes=rng.randint(8, 3 * 24 * 60)), closes)
        answers = _consultation_answers(rng, organization, language)
        if not finished:  # stopped after the first page
            answers = {
                key: value for key, value in answers.items() if key in ("axis", "policy_areas")
            }
        responses.append(
            Response(
                survey=survey,
                organization=organization,
                uniqueness_key=f"org:{organization.pk}",
                status=ResponseStatus.SUBMITTED if finished else ResponseStatus.IN_PROGRESS,
                current_page=last_page if finished else 1,
                language=language,
                section=organization.regional_section,
                organization_kind=organization.kind,
                submitted_at=submitted if finished else None,
            )
        )
        raw.append((answers, started, submitted if finished else started))
    Response.objects.bulk_create(responses)
    # auto_now_add dates each row today: give them the dates they were answered.
    for response, (_answers, started, updated) in zip(responses, raw, strict=True):
        response.created_at, response.updated_at = started, updated
    Response.objects.bulk_update(responses, ["created_at", "updated_at"], batch_size=500)

    answer_rows, cleaned_items = [], []
    for response, (answers, _started, _updated) in zip(responses, raw, strict=True):
        for key, question in questions.items():
            if key not in answers:
                continue
            cleaned = clean_answer(question, answers[key], answers.get(f"other:{key}", ""))
            if cleaned is None:
                continue
            answer_rows.append(
                Answer(
                    response=response,
                    question=question,
                    value=cleaned.value,
                    text=cleaned.text,
                    number=cleaned.number,
                )
            )
            cleaned_items.append(cleaned.items)
    Answer.objects.bulk_create(answer_rows, batch_size=500)
    AnswerItem.objects.bulk_create(
        (
            AnswerItem(answer=answer, question=answer.question, item=item[:100], score=score)
            for answer, items in zip(answer_rows, cleaned_items, strict=True)
            for item, score in items
        ),
        batch_size=1000,
    )
    return survey


# The open survey -----------------------------------------------------------------------------

OPEN_SURVEY = {
    "title": _l(
        "Localizing the SDGs in your country, 2026",
        "Localiser les ODD dans votre pays, 2026",
        "Localizar los ODS en su país, 2026",
    ),
    "introduction": _l(
        "Each year we ask members how far the 2030 Agenda is localized where they are. Your "
        "answers feed the report of local and regional governments to the High-Level "
        "Political Forum.",
        "Chaque année, nous demandons aux membres où en est la localisation de l’Agenda 2030 "
        "chez eux. Vos réponses nourrissent le rapport des gouvernements locaux et régionaux "
        "au Forum politique de haut niveau.",
        "Cada año preguntamos a los miembros hasta qué punto se ha localizado la Agenda 2030 "
        "en su territorio. Sus respuestas alimentan el informe de los gobiernos locales y "
        "regionales al Foro Político de Alto Nivel.",
    ),
}
YES_NO_PREPARING = _options(
    ("yes", "Yes", "Oui", "Sí"),
    ("preparing", "In preparation", "En préparation", "En preparación"),
    ("no", "No", "Non", "No"),
)
OPEN_PAGES = [
    (
        _l("Your local SDG plan", "Votre plan local des ODD", "Su plan local de los ODS"),
        [
            {
                "key": "has_plan",
                "kind": QuestionKind.SINGLE,
                "required": True,
                "text": _l(
                    "Does your government have a plan that aligns its policies with the SDGs?",
                    "Votre gouvernement a-t-il un plan qui aligne ses politiques sur les ODD ?",
                    "¿Tiene su gobierno un plan que alinee sus políticas con los ODS?",
                ),
                "options": YES_NO_PREPARING,
            },
            {
                "key": "plan_year",
                "kind": QuestionKind.NUMBER,
                "required": True,
                "number_min": 2015,
                "number_max": 2026,
                "when": ("has_plan", ["yes"]),
                "text": _l(
                    "Since which year?",
                    "Depuis quelle année ?",
                    "¿Desde qué año?",
                ),
            },
            {
                "key": "main_goal",
                "kind": QuestionKind.SDG,
                "text": _l(
                    "Which goal does the plan put first?",
                    "Quel objectif le plan place-t-il en premier ?",
                    "¿Qué objetivo pone primero el plan?",
                ),
                "when": ("has_plan", ["yes", "preparing"]),
            },
        ],
    ),
    (
        _l("Reporting", "Rendre compte", "Rendición de cuentas"),
        [
            {
                "key": "vlr",
                "kind": QuestionKind.SINGLE,
                "required": True,
                "text": _l(
                    "Has your government published a Voluntary Local Review (VLR)?",
                    "Votre gouvernement a-t-il publié un examen local volontaire (VLR) ?",
                    "¿Ha publicado su gobierno un Informe Local Voluntario (VLR)?",
                ),
                "options": YES_NO_PREPARING,
            },
            {
                "key": "vlr_date",
                "kind": QuestionKind.DATE,
                "when": ("vlr", ["yes"]),
                "text": _l(
                    "When was the latest one published?",
                    "Quand le plus récent a-t-il été publié ?",
                    "¿Cuándo se publicó el más reciente?",
                ),
            },
            {
                "key": "national_involvement",
                "kind": QuestionKind.SCALE,
                "scale_min": 1,
                "scale_max": 5,
                "text": _l(
                    "How closely were you involved in your country's latest Voluntary "
                    "National Review?",
                    "Dans quelle mesure avez-vous été associé·e au dernier examen national "
                    "volontaire de votre pays ?",
                    "¿En qué medida participó en el último Examen Nacional Voluntario de su país?",
                ),
                "scale_labels": {
                    "1": _l("Not at all", "Pas du tout", "Nada"),
                    "5": _l("Fully", "Pleinement", "Plenamente"),
                },
            },
        ],
    ),
    (
        _l("What would help", "Ce qui aiderait", "Lo que ayudaría"),
        [
            {
                "key": "needs",
                "kind": QuestionKind.MULTIPLE,
                "max_choices": 2,
                "text": _l(
                    "What would help you most? (two at most)",
                    "Qu’est-ce qui vous aiderait le plus ? (deux au plus)",
                    "¿Qué le ayudaría más? (dos como máximo)",
                ),
                "options": _options(
                    ("training", "Training", "Formation", "Formación"),
                    ("data", "Local data", "Données locales", "Datos locales"),
                    ("funding", "Funding", "Financement", "Financiación"),
                    (
                        "peers",
                        "Exchanges with peers",
                        "Échanges entre pairs",
                        "Intercambios entre pares",
                    ),
                ),
            },
            {
                "key": "comments",
                "kind": QuestionKind.LONG_TEXT,
                "text": _l("Anything else?", "Autre chose ?", "¿Algo más?"),
            },
        ],
    ),
]
# email, answers per page (a page left out: not reached yet), submitted
OPEN_RESPONSES = [
    (
        "bilbao@local4action.test",
        [
            {"has_plan": "yes", "plan_year": "2018", "main_goal": 11},
            {"vlr": "yes", "vlr_date": "2023-06-15", "national_involvement": 3},
            {"needs": ["data", "peers"], "comments": "Nuestro informe local se publicó en 2023."},
        ],
        True,
    ),
    (
        "dschang@local4action.test",
        [
            {"has_plan": "preparing", "main_goal": 6},
            {"vlr": "no", "national_involvement": 1},
            {"needs": ["training", "funding"]},
        ],
        True,
    ),
    (
        "valongo@local4action.test",
        [{"has_plan": "yes", "plan_year": "2020", "main_goal": 16}],
        False,
    ),
]


def _answer_through_services(survey: Survey, user: User, pages: list[dict], submit: bool) -> None:
    with translation.override(user.language):
        response = services.response_start(survey=survey, user=user)
        by_position = {page.position: page for page in survey.pages.all()}
        for position, answers in enumerate(pages):
            page = by_position[position]
            keys = {question.key: question.pk for question in page.questions.all()}
            services.response_save_page(
                response=response,
                page=page,
                data={keys[key]: value for key, value in answers.items()},
            )
        if submit:
            services.response_submit(response=response)


def _seed_open_survey(*, staff: User, now: datetime.datetime) -> Survey:
    survey = _create_survey(
        staff=staff,
        slug=OPEN_SLUG,
        fields={
            **OPEN_SURVEY,
            "languages": ["en", "fr", "es"],
            "audience": Audience.MEMBERS,
            "one_per": OnePer.PERSON,
            "published": True,
            "opens_at": now - datetime.timedelta(days=12),
            "closes_at": now + datetime.timedelta(days=45),
        },
        pages=OPEN_PAGES,
    )
    for email, pages, submit in OPEN_RESPONSES:
        user = User.objects.filter(email=email).first()
        if user is not None:
            _answer_through_services(survey, user, pages, submit)
    return survey


# The workshop's feedback ---------------------------------------------------------------------

FEEDBACK_TITLE = _l(
    "Feedback: working session “Co-creating the campaign”",
    "Votre avis : session de travail « Co-créer la campagne »",
    "Su opinión: sesión de trabajo «Co-crear la campaña»",
)
PARTICIPANTS = [
    "bilbao@local4action.test",
    "valongo@local4action.test",
    "xian@local4action.test",
    "dschang@local4action.test",
    "ouahigouya@local4action.test",
    "member@local4action.test",
    "partner@local4action.test",
]
# email, answers of the only page, submitted
FEEDBACK_RESPONSES = [
    (
        "bilbao@local4action.test",
        {
            "satisfaction": 5,
            "most_useful": "Imaginar la valla publicitaria de nuestra ciudad.",
            "next_steps": ["campaign", "peer_exchange"],
        },
        True,
    ),
    (
        "dschang@local4action.test",
        {
            "satisfaction": 4,
            "most_useful": "Les messages communs de la campagne.",
            "to_change": "Plus de temps pour les échanges entre villes.",
            "next_steps": ["training"],
        },
        True,
    ),
    (
        "xian@local4action.test",
        {"satisfaction": 4, "next_steps": ["working_group", "campaign"]},
        True,
    ),
    (
        "ouahigouya@local4action.test",
        {
            "satisfaction": 3,
            "to_change": "La connexion était difficile : envoyez les documents avant.",
        },
        True,
    ),
    ("valongo@local4action.test", {"satisfaction": 5}, False),
]


def _seed_feedback(*, staff: User, now: datetime.datetime) -> Survey:
    people = list(User.objects.filter(email__in=PARTICIPANTS))
    survey = services.survey_from_template(
        actor=staff,
        template="event_feedback",
        title=FEEDBACK_TITLE,
        people=people,
        opens_at=now - datetime.timedelta(days=3),
        closes_at=now + datetime.timedelta(days=11),
    )
    # The web address is fixed so that the demo finds its survey again.
    Survey.objects.filter(pk=survey.pk).update(slug=FEEDBACK_SLUG)
    survey = services.survey_publish(actor=staff, survey=survey)
    emails = {person.email: person for person in people}
    for email, answers, submit in FEEDBACK_RESPONSES:
        if email in emails:
            _answer_through_services(survey, emails[email], [answers], submit)
    return survey


# Entry point ---------------------------------------------------------------------------------


def seed(stdout) -> None:
    """Create the demo surveys that are missing (found by web address), and say what is
    there."""
    rng = random.Random(2030)
    now = timezone.now()
    created = []
    with transaction.atomic():
        staff = User.objects.get(email=STAFF)
        if not Survey.objects.filter(slug=CONSULTATION_SLUG).exists():
            created.append(_seed_consultation(staff=staff, rng=rng, now=now))
        if not Survey.objects.filter(slug=OPEN_SLUG).exists():
            created.append(_seed_open_survey(staff=staff, now=now))
        if not Survey.objects.filter(slug=FEEDBACK_SLUG).exists():
            created.append(_seed_feedback(staff=staff, now=now))
    slugs = [CONSULTATION_SLUG, OPEN_SLUG, FEEDBACK_SLUG]
    responses = Response.objects.filter(survey__slug__in=slugs)
    submitted = responses.filter(status=ResponseStatus.SUBMITTED)
    stdout.write(
        f"Demo surveys: {Survey.objects.filter(slug__in=slugs).count()} surveys "
        f"({len(created)} new), {responses.count()} responses ({submitted.count()} submitted; "
        f"consultation: {submitted.filter(survey__slug=CONSULTATION_SLUG).count()} "
        "organizations)."
    )
