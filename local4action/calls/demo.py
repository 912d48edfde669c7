"""Demo calls, applications, reviews and initiatives, added by `manage.py seed_demo`.

Each call is created once, found again by its web address, with everything that hangs off it:
running the command again adds nothing (no rows, no audit events, no notifications).

- A past call, "Local4Action HUBs 2025", decided with its results published: the five real HUBs
  of DESIGN.md (public facts; their timelines and texts are demo data), two accompanied
  initiatives and one declined, each reviewed by two demo reviewers. The services refuse to
  write in the past (deadlines are checked against now), so after `call_create` the rows are
  written directly, with the dates they would have had, and nobody is notified.
- An open call for least developed countries, written through the services as people would:
  an expression of interest submitted by Ouahigouya (Burkina Faso) and a draft by Dschang,
  whose country (Cameroon) is not in the call's target countries.
"""

import datetime
import zoneinfo
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from local4action.accounts.choices import LRG_KINDS
from local4action.accounts.models import Organization, User
from local4action.core.models import AuditEvent, Goal, PolicyArea, Target
from local4action.core.services import audit_record
from local4action.initiatives.choices import InitiativeStatus, Scale
from local4action.initiatives.models import Initiative, InitiativeTranslation, Location

from . import services
from .choices import (
    DRAFT_STATUSES,
    ApplicationStatus,
    CallStatus,
    Decision,
    QuestionKind,
    Recommendation,
    ReviewStatus,
    Support,
)
from .models import Application, Call, PlannedDeliverable, Review, Score

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
STAFF = "admin@local4action.test"
REVIEWERS = ("reviewer@local4action.test", "reviewer2@local4action.test")

# UN list of least developed countries (44, after Bhutan and São Tomé and Príncipe graduated).
LDC_COUNTRIES = [
    "AF", "AO", "BD", "BF", "BI", "BJ", "CD", "CF", "DJ", "ER", "ET", "GM", "GN", "GW", "HT",
    "KH", "KI", "KM", "LA", "LR", "LS", "MG", "ML", "MM", "MR", "MW", "MZ", "NE", "NP", "RW",
    "SB", "SD", "SL", "SN", "SO", "SS", "TD", "TG", "TL", "TV", "TZ", "UG", "YE", "ZM",
]  # fmt: skip


def _at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=MADRID)


# The past call ------------------------------------------------------------------------------

PAST_CALL = {
    "title": "Local4Action HUBs 2025",
    "description": (
        "<p>The Local4Action HUB label recognizes initiatives led by local and regional "
        "governments that connect local action with the global agendas, accelerate the "
        "localization of the 2030 Agenda and build on what other members develop.</p>"
        "<p>The call runs in two stages:</p>"
        "<ul><li><strong>Expression of interest</strong>: three screening questions.</li>"
        "<li><strong>Full application</strong>: for the shortlisted initiatives, one question "
        "per characteristic of a HUB, the timeline and the planned deliverables.</li></ul>"
        "<p>Besides the label, HUBs can receive <em>seed funding</em> or "
        "<em>international expertise</em>.</p>"
    ),
    "time_zone": "Europe/Madrid",
    "opens_at": _at(2025, 2, 3, 9),
    "eoi_closes_at": _at(2025, 3, 14, 23, 59),
    "closes_at": _at(2025, 5, 16, 23, 59),
    "eligible_kinds": list(LRG_KINDS),
    "support_offered": [Support.SEED_FUNDING, Support.EXPERTISE],
    "reviewers_per_application": 2,
}
PAST_CREATED = _at(2025, 1, 20)
PAST_CLOSED = _at(2025, 5, 19, 9)
SHORTLISTED = _at(2025, 3, 28)
ASSIGNED = _at(2025, 5, 21)
DECIDED = _at(2025, 7, 8, 11)
CALL_DECIDED = _at(2025, 7, 8, 12)
PUBLISHED = _at(2025, 7, 10, 10)

# What a team writes when the demo has nothing more specific, in its own language.
ANSWERS = {
    "en": {
        "innovation": "It brings together people who rarely meet on this subject, and lets "
        "them decide the next steps together.",
        "citizens": "Residents take part in every stage, and the results are published in plain "
        "language.",
        "inspire": "Its methods and materials are open, and other local governments can adapt "
        "them with our support.",
        "locally_led": "{org} leads the initiative with its local partners, who sit on its "
        "steering group.",
        "timeline": "The deliverables and their dates were presented to our partners at a public "
        "launch and are on our website.",
        "results": "The success criteria were agreed with partners and stakeholders in two "
        "workshops; we report on them every six months.",
        "brand": "All materials will carry the Local4Action HUB brand and its shared visuals.",
        "theme": "It works on {goals} of the 2030 Agenda.",
        "communication": "A web page, social media in several languages, and a yearly "
        "presentation at the organization's forum.",
    },
    "es": {
        "innovation": "Reúne a personas que rara vez se encuentran sobre este tema y les permite "
        "decidir juntas los siguientes pasos.",
        "citizens": "La ciudadanía participa en cada etapa y los resultados se publican en "
        "lenguaje claro.",
        "inspire": "Sus métodos y materiales son abiertos, y otros gobiernos locales pueden "
        "adaptarlos con nuestro apoyo.",
        "locally_led": "{org} lidera la iniciativa con sus socios locales, que forman parte de "
        "su comité de seguimiento.",
        "timeline": "Los entregables y sus fechas se presentaron a los socios en un acto público "
        "y figuran en nuestra web.",
        "results": "Los criterios de éxito se acordaron con socios y actores locales en dos "
        "talleres; informamos sobre ellos cada seis meses.",
        "brand": "Todos los materiales llevarán la marca Local4Action HUB y sus elementos "
        "visuales compartidos.",
        "theme": "Trabaja en {goals} de la Agenda 2030.",
        "communication": "Una página web, redes sociales en varios idiomas y una presentación "
        "anual en el foro de la organización.",
    },
    "fr": {
        "innovation": "Elle réunit des personnes qui se rencontrent rarement sur ce sujet et "
        "leur permet de décider ensemble des prochaines étapes.",
        "citizens": "Les habitants participent à chaque étape et les résultats sont publiés "
        "dans un langage simple.",
        "inspire": "Ses méthodes et ses supports sont ouverts ; d'autres collectivités peuvent "
        "les adapter avec notre appui.",
        "locally_led": "{org} pilote l'initiative avec ses partenaires locaux, membres de son "
        "comité de suivi.",
        "timeline": "Les livrables et leurs dates ont été présentés aux partenaires lors d'un "
        "lancement public et sont publiés sur notre site.",
        "results": "Les critères de réussite ont été fixés avec les partenaires et les acteurs "
        "locaux en deux ateliers ; nous en rendons compte tous les six mois.",
        "brand": "Tous les supports porteront la marque Local4Action HUB et ses visuels partagés.",
        "theme": "Elle porte sur les {goals} de l'Agenda 2030.",
        "communication": "Une page web, les réseaux sociaux en plusieurs langues et une "
        "présentation annuelle au forum de l'organisation.",
    },
}
GOALS_WORD = {"en": "SDGs", "es": "los ODS", "fr": "ODD"}

LABEL_REVIEWS = (
    "A clear HUB: locally led, with dated deliverables and a plan to share its results.",
    "Strong and well prepared; the indicators could say more about who benefits.",
)

# Public facts from DESIGN.md ("Real HUBs"); timelines, answers and scores are demo data.
PAST_APPLICATIONS = [
    {
        "organization": "xian",
        "decision": Decision.LABELLED,
        "title": "Youth education and dialogue",
        "language": "en",
        "summary": (
            "Since 2021 the City of Xi'an and Xi'an Jiaotong University have brought together "
            "young people of different cultures for exchanges, joint projects and dialogue on "
            "the 2030 Agenda. As a HUB, the exchanges become a yearly programme: youth "
            "dialogues with partner cities, education on sustainable development in schools "
            "and universities, and placements that open decent work to young women and men."
        ),
        "goals": [4, 5, 8, 17],
        "targets": ["4.7", "8.6", "17.17"],
        "policy_areas": ["culture", "peace"],
        "partners": ["xjtu"],
        "scale": Scale.LOCAL,
        "dates": (datetime.date(2025, 9, 1), datetime.date(2027, 12, 31)),
        "place": ("Xi'an", "34.34157", "108.93977"),
        "answers": {
            "innovation": "Young people from different cultures design the exchanges "
            "themselves, with the university, instead of attending a programme made for them.",
            "inspire": "The dialogue format and the school toolkit are open to any city that "
            "wants to connect its young people with peers abroad.",
        },
        "deliverables": [
            (
                "First intercity youth dialogue, online and in Xi'an",
                datetime.date(2026, 4, 30),
                "300 young participants from at least 10 cities, half of them women.",
            ),
            (
                "Toolkit on education for sustainable development, in Chinese and English",
                datetime.date(2026, 12, 15),
                "Used by 40 schools; rated useful by 8 teachers in 10.",
            ),
            (
                "Report on the youth placements",
                datetime.date(2027, 11, 30),
                "200 placements, half of them for young women.",
            ),
        ],
        "support": [Support.EXPERTISE],
        "eoi": _at(2025, 2, 26, 4),
        "submitted": _at(2025, 5, 12, 5),
        "scores": ([5, 4, 4, 4, 5, 4], [5, 4, 3, 4, 5, 4]),
        "comments": LABEL_REVIEWS,
        "reason": (
            "Locally led by the City of Xi'an with its university, a proven track record since "
            "2021 and dated deliverables for young people of many cultures: it meets the six "
            "characteristics of a HUB."
        ),
    },
    {
        "organization": "bilbao",
        "decision": Decision.LABELLED,
        "title": "Bilbao, ciudad de valores",
        "language": "es",
        "summary": (
            "Bilbao sitúa los valores —convivencia, igualdad, participación y sostenibilidad— "
            "como motor de su desarrollo urbano sostenible. Tres foros en línea con la "
            "ciudadanía, las entidades locales y otras ciudades producen un Manifiesto, una "
            "Carta y una Agenda de valores que orientan las políticas municipales y se "
            "comparten con la red."
        ),
        "translations": {
            "en": (
                "Bilbao, city of values",
                "Bilbao makes values — living together, equality, participation and "
                "sustainability — a driver of its sustainable urban development. Three online "
                "forums with residents, local organizations and other cities produce a "
                "Manifesto, a Charter and an Agenda of values that guide municipal policies and "
                "are shared with the network.",
            )
        },
        "goals": [11, 16],
        "targets": ["11.3", "16.7"],
        "policy_areas": ["culture", "peace"],
        "scale": Scale.LOCAL,
        "dates": (datetime.date(2025, 9, 1), datetime.date(2027, 6, 30)),
        "place": ("Bilbao", "43.26271", "-2.92528"),
        "answers": {
            "innovation": "Los valores dejan de ser una declaración y se convierten en "
            "compromisos medibles que la ciudadanía debate y revisa en foros abiertos.",
            "results": "Cada foro termina con un documento aprobado por sus participantes: el "
            "Manifiesto, la Carta y la Agenda de valores, con indicadores de seguimiento.",
        },
        "deliverables": [
            (
                "Foro 1: Manifiesto de valores",
                datetime.date(2026, 1, 31),
                "Manifiesto aprobado por el foro, con al menos 500 participantes.",
            ),
            (
                "Foro 2: Carta de valores",
                datetime.date(2026, 10, 31),
                "Carta firmada por el Ayuntamiento y 30 entidades.",
            ),
            (
                "Foro 3: Agenda de valores",
                datetime.date(2027, 5, 31),
                "Agenda con acciones e indicadores, compartida con otras ciudades de la red.",
            ),
        ],
        "support": [Support.EXPERTISE],
        "eoi": _at(2025, 2, 18, 12),
        "submitted": _at(2025, 5, 9, 13),
        "scores": ([5, 4, 4, 5, 4, 5], [5, 5, 4, 4, 4, 4]),
        "comments": LABEL_REVIEWS,
        "reason": (
            "A city-wide, participatory process with three dated outputs (a Manifesto, a "
            "Charter and an Agenda of values) that other cities can reuse: labelled."
        ),
    },
    {
        "organization": "aiccre",
        "decision": Decision.LABELLED,
        "title": "Venice City Solutions 2030",
        "language": "en",
        "summary": (
            "Venice City Solutions 2030 is a yearly forum, organized by AICCRE, the Italian "
            "association of local and regional governments, where mayors, regions, national "
            "associations, UN agencies and experts meet in Venice to share how they localize "
            "the Sustainable Development Goals. As the \u201cHUB of HUBs\u201d, it brings the "
            "other Local4Action HUBs together every year to compare results and carry them "
            "into global advocacy."
        ),
        "goals": [17],
        "targets": ["17.17"],
        "policy_areas": ["regions"],
        "scale": Scale.NATIONAL_ASSOCIATION,
        "dates": (datetime.date(2025, 10, 1), datetime.date(2028, 6, 30)),
        "place": ("Venice", "45.44085", "12.31552"),
        "answers": {
            "innovation": "A forum where the HUBs themselves set the agenda: each edition "
            "starts from the results the HUBs report, not from speeches.",
            "inspire": "Every edition publishes the solutions presented, so that any local "
            "government can pick one up and contact its authors.",
        },
        "deliverables": [
            (
                "Venice City Solutions 2030, 2025 edition",
                datetime.date(2025, 11, 30),
                "Delegations from 25 countries; conclusions published within a month.",
            ),
            (
                "2026 edition with a session of all Local4Action HUBs",
                datetime.date(2026, 11, 30),
                "Every labelled HUB presents its results.",
            ),
            (
                "Compendium of HUB results for the High-Level Political Forum",
                datetime.date(2027, 6, 30),
                "Cited in the yearly report of local and regional governments to the HLPF.",
            ),
        ],
        "support": [],
        "eoi": _at(2025, 3, 3, 16),
        "submitted": _at(2025, 5, 14, 18),
        "scores": ([5, 5, 4, 5, 5, 5], [4, 5, 4, 5, 5, 5]),
        "comments": LABEL_REVIEWS,
        "reason": (
            "A yearly meeting point for localizing the SDGs, led by a national association of "
            "local and regional governments, that connects the HUBs with each other: labelled "
            "as the HUB of HUBs."
        ),
    },
    {
        "organization": "valongo",
        "decision": Decision.LABELLED,
        "title": "Participation for all",
        "language": "en",
        "summary": (
            "Valongo opens its participatory budgeting to the people least heard in local "
            "decisions — young people, older residents, people with disabilities, migrants — "
            "with a university urban-planning lab that co-designs the process and measures who "
            "takes part. The HUB trains other municipalities to run inclusive participatory "
            "processes of their own."
        ),
        "goals": [16, 11],
        "targets": ["16.7", "11.3"],
        "policy_areas": ["migration-inclusive-cities"],
        "scale": Scale.LOCAL,
        "dates": (datetime.date(2025, 9, 15), datetime.date(2027, 9, 14)),
        "place": ("Valongo", "41.18883", "-8.49795"),
        "answers": {
            "innovation": "Participatory budgeting designed with under-represented groups "
            "rather than for them, and measured: we publish who takes part at each stage.",
            "results": "With the university lab and the parish councils we set three criteria: "
            "who proposes, who votes, and which projects are built.",
        },
        "deliverables": [
            (
                "Inclusive participatory budgeting cycle 2026",
                datetime.date(2026, 6, 30),
                "A third of the proposals come from under-represented groups.",
            ),
            (
                "Training programme for ten municipalities",
                datetime.date(2027, 3, 31),
                "Ten municipalities trained; three of them run their own cycle.",
            ),
            (
                "Open evaluation of who takes part",
                datetime.date(2027, 9, 1),
                "Published with its data under an open licence.",
            ),
        ],
        "support": [Support.SEED_FUNDING],
        "eoi": _at(2025, 2, 21, 11),
        "submitted": _at(2025, 5, 15, 17),
        "scores": ([5, 4, 5, 4, 5, 4], [5, 4, 5, 4, 4, 4]),
        "comments": LABEL_REVIEWS,
        "reason": (
            "Participatory budgeting with under-represented groups, measured with a university "
            "lab and passed on to other municipalities: labelled."
        ),
    },
    {
        "organization": "diba",
        "decision": Decision.LABELLED,
        "title": "Women's political leadership at the local level",
        "language": "en",
        "summary": (
            "The Barcelona Provincial Council and 16 Moroccan local governments work together so "
            "that more women stand for and hold local office: mentoring between elected women "
            "on both shores of the Mediterranean, training for councillors and municipal staff, "
            "and a gender-equality plan in each partner local government."
        ),
        "translations": {
            "es": (
                "Liderazgo político de las mujeres en el ámbito local",
                "La Diputación de Barcelona y 16 gobiernos locales marroquíes trabajan juntos "
                "para que más mujeres se presenten y accedan a cargos locales: mentoría entre "
                "electas de las dos orillas del Mediterráneo, formación para concejalas y "
                "personal municipal, y un plan de igualdad en cada gobierno local socio.",
            ),
            "fr": (
                "Leadership politique des femmes au niveau local",
                "La Diputació de Barcelone et 16 collectivités locales marocaines travaillent "
                "ensemble pour que davantage de femmes se présentent aux élections locales et "
                "exercent des mandats : mentorat entre élues des deux rives de la Méditerranée, "
                "formation des conseillères et du personnel municipal, et un plan d'égalité dans "
                "chaque collectivité partenaire.",
            ),
        },
        "goals": [5],
        "targets": ["5.5"],
        "policy_areas": ["gender-equality"],
        "scale": Scale.REGIONAL,
        "dates": (datetime.date(2025, 9, 1), datetime.date(2028, 8, 31)),
        "place": ("Barcelona", "41.38740", "2.16860"),
        "answers": {
            "innovation": "Peer mentoring between elected women of two countries, with each "
            "partner local government adopting its own equality plan.",
            "results": "Set with the 16 Moroccan partners: the share of women candidates and "
            "councillors, and the plans adopted and applied.",
        },
        "deliverables": [
            (
                "Mentoring programme between elected women",
                datetime.date(2026, 6, 30),
                "40 mentoring pairs across both countries.",
            ),
            (
                "Equality plans in the partner local governments",
                datetime.date(2027, 6, 30),
                "16 plans adopted by their councils.",
            ),
            (
                "Guide to women's political leadership at the local level",
                datetime.date(2028, 6, 30),
                "Published in Arabic, Catalan, French and Spanish.",
            ),
        ],
        "support": [Support.SEED_FUNDING, Support.EXPERTISE],
        "eoi": _at(2025, 3, 10, 9),
        "submitted": _at(2025, 5, 16, 12),
        "scores": ([5, 4, 4, 4, 5, 4], [5, 5, 4, 4, 5, 3]),
        "comments": LABEL_REVIEWS,
        "reason": (
            "A partnership of a regional government with 16 Moroccan local governments on "
            "women's political leadership (SDG 5), with dated, measurable deliverables: "
            "labelled."
        ),
    },
    {
        "organization": "chefchaouen",
        "decision": Decision.ACCOMPANIED,
        "title": "Chefchaouen, ville bleue et durable : l'eau au cœur du tourisme",
        "slug": "chefchaouen-ville-bleue-et-durable",  # slugify() would drop the "œ"
        "language": "fr",
        "summary": (
            "La commune de Chefchaouen veut concilier l'afflux de visiteurs et la préservation "
            "de ses sources et de sa médina : suivi partagé de la consommation d'eau, collecte "
            "des déchets dans la médina et une charte du tourisme responsable avec les "
            "habitants et les professionnels."
        ),
        "translations": {
            "en": (
                "Chefchaouen, a blue and sustainable town: water at the heart of tourism",
                "The Commune of Chefchaouen wants to reconcile the flow of visitors with the "
                "protection of its springs and its medina: shared monitoring of water use, "
                "waste collection in the medina and a charter for responsible tourism with "
                "residents and businesses.",
            )
        },
        "goals": [6, 11, 12],
        "targets": ["6.4", "12.b"],
        "policy_areas": ["intermediary-cities", "ecological-transition"],
        "scale": Scale.LOCAL,
        "dates": (datetime.date(2025, 10, 1), datetime.date(2027, 9, 30)),
        "place": ("Chefchaouen", "35.16878", "-5.26364"),
        "answers": {},
        "deliverables": [
            (
                "Charte du tourisme responsable",
                datetime.date(2026, 6, 30),
                "",
            ),
        ],
        "support": [Support.EXPERTISE],
        "eoi": _at(2025, 3, 12, 15),
        "submitted": _at(2025, 5, 16, 21),
        "scores": ([5, 3, 2, 3, 4, 2], [4, 2, 2, 3, 4, 2]),
        "comments": (
            "A real need and a strong local lead; the success criteria are not set yet.",
            "Promising, but the communication plan and the indicators are still to be built.",
        ),
        "reason": (
            "A strong local lead and a clear link with the 2030 Agenda, but the success "
            "criteria have not yet been set with residents and tourism businesses, and the "
            "communication plan is a draft. The secretariat will accompany the commune for a "
            "year to define them together; it can then apply for the label."
        ),
    },
    {
        "organization": "cuenca",
        "decision": Decision.ACCOMPANIED,
        "title": "Ríos vivos: Cuenca, ciudad intermedia resiliente",
        "language": "es",
        "summary": (
            "Cuenca, atravesada por cuatro ríos —Tomebamba, Yanuncay, Tarqui y Machángara—, "
            "restaura sus riberas con los barrios, vigila las crecidas con sensores "
            "comunitarios y convierte las orillas en corredores verdes."
        ),
        "goals": [6, 11, 13],
        "targets": ["6.6", "11.b", "13.1"],
        "policy_areas": ["ecological-transition", "intermediary-cities"],
        "scale": Scale.LOCAL,
        "dates": (datetime.date(2025, 9, 1), datetime.date(2028, 8, 31)),
        "place": ("Cuenca", "-2.90055", "-79.00453"),
        "answers": {},
        "deliverables": [
            (
                "Red de sensores comunitarios en el río Yanuncay",
                datetime.date(2026, 12, 31),
                "",
            ),
        ],
        "support": [Support.SEED_FUNDING, Support.EXPERTISE],
        "eoi": _at(2025, 3, 14, 22),
        "submitted": _at(2025, 5, 16, 23, 40),
        "scores": ([5, 2, 3, 3, 4, 2], [5, 3, 2, 2, 4, 2]),
        "comments": (
            "Very relevant for intermediary cities; the timeline has one deliverable only.",
            "Good neighbourhood involvement; how results reach other cities is unclear.",
        ),
        "reason": (
            "Highly relevant for intermediary cities, with strong neighbourhood involvement, "
            "but only one deliverable is planned and there is no strategy yet to share the "
            "results with other cities. The secretariat will accompany Cuenca with "
            "international expertise to plan its deliverables with its stakeholders."
        ),
    },
    {
        "organization": "gaziantep",
        "decision": Decision.DECLINED,
        "title": "Kitchen of cultures: gastronomy for inclusion",
        "language": "en",
        "summary": (
            "A culinary training centre where refugee and host-community women learn the trades "
            "of Gaziantep's gastronomy, a UNESCO Creative City of Gastronomy, and find work in "
            "local restaurants."
        ),
        "goals": [5, 8, 10],
        "targets": ["8.5", "10.2"],
        "policy_areas": ["migration-inclusive-cities"],
        "scale": Scale.LOCAL,
        "dates": (datetime.date(2025, 9, 1), datetime.date(2026, 12, 31)),
        "place": ("Gaziantep", "37.06622", "37.38332"),
        "answers": {
            "results": "The number of women trained.",
            "communication": "Press releases.",
        },
        "deliverables": [
            ("Training centre opened", datetime.date(2026, 3, 31), ""),
        ],
        "support": [Support.SEED_FUNDING],
        "eoi": _at(2025, 3, 7, 10),
        "submitted": _at(2025, 5, 13, 14),
        "scores": ([4, 1, 1, 2, 3, 1], [4, 2, 1, 1, 3, 1]),
        "comments": (
            "A valuable local project, but not yet a HUB: no shared success criteria.",
            "Results cannot be followed with stakeholders, and nothing is planned to share them.",
        ),
        "reason": (
            "A valuable project, but the application describes one training centre rather than "
            "a HUB: the success criteria were not set with partners and stakeholders, and "
            "there is no plan to share results with other local governments. We encourage the "
            "municipality to apply again with a participatory monitoring plan."
        ),
    },
]

RECOMMENDATION = {
    Decision.LABELLED: Recommendation.LABEL,
    Decision.ACCOMPANIED: Recommendation.ACCOMPANY,
    Decision.DECLINED: Recommendation.DECLINE,
}
INITIATIVE_STATUS = {
    Decision.LABELLED: InitiativeStatus.LABELLED,
    Decision.ACCOMPANIED: InitiativeStatus.ACCOMPANIED,
    Decision.DECLINED: InitiativeStatus.DECLINED,
}


def _backdate(obj, when: datetime.datetime) -> None:
    """Time-stamped rows get "now" on save; the past call's rows get the dates they had."""
    type(obj).objects.filter(pk=obj.pk).update(created_at=when, updated_at=when)


def _backdate_last_audit(target, when: datetime.datetime) -> None:
    event = (
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
        )
        .order_by("-pk")
        .first()
    )
    AuditEvent.objects.filter(pk=event.pk).update(created_at=when)


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "initiative"
    slug, n = base, 1
    while Initiative.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _answers(call: Call, spec: dict, organization: Organization) -> dict:
    texts = ANSWERS[spec["language"]]
    goals = f"{GOALS_WORD[spec['language']]} {', '.join(str(g) for g in spec['goals'])}"
    answers = {}
    for question in call.questions.all():
        if question.kind == QuestionKind.YES_NO:
            answers[question.key] = True
        elif question.key in spec["answers"]:
            answers[question.key] = spec["answers"][question.key]
        else:
            answers[question.key] = texts.get(question.key, "").format(
                org=organization.name, goals=goals
            )
    return answers


def _seed_past_call(*, staff: User, reviewers: list[User]) -> Call:
    call = services.call_create(actor=staff, data=PAST_CALL)
    _backdate(call, PAST_CREATED)
    _backdate_last_audit(call, PAST_CREATED)
    for status, when in (
        (CallStatus.OPEN, PAST_CALL["opens_at"]),
        (CallStatus.CLOSED, PAST_CLOSED),
    ):
        services.call_set_status(actor=staff, call=call, status=status)
        _backdate_last_audit(call, when)
    criteria = list(call.criteria.all())
    organizations = {o.slug: o for o in Organization.objects.all()}
    areas = {a.slug: a for a in PolicyArea.objects.all()}
    for spec in PAST_APPLICATIONS:
        organization = organizations[spec["organization"]]
        team = organization.memberships.filter(role__in=["admin", "editor"]).first()
        author = team.user if team else None
        _seed_decided_application(
            call=call,
            spec=spec,
            organization=organization,
            author=author,
            staff=staff,
            reviewers=reviewers,
            criteria=criteria,
            partners=[organizations[slug] for slug in spec.get("partners", [])],
            areas=[areas[slug] for slug in spec["policy_areas"] if slug in areas],
        )
    services.call_set_status(actor=staff, call=call, status=CallStatus.DECIDED)
    _backdate_last_audit(call, CALL_DECIDED)
    call = services.call_publish_results(actor=staff, call=call)
    _backdate_last_audit(call, PUBLISHED)
    _backdate(call, PUBLISHED)
    return call


def _seed_decided_application(
    *, call, spec, organization, author, staff, reviewers, criteria, partners, areas
) -> None:
    decision = spec["decision"]
    start, end = spec["dates"]
    initiative = Initiative(
        slug=_unique_slug(spec.get("slug") or spec["title"]),
        title=spec["title"],
        summary=spec["summary"],
        language=spec["language"],
        lead_organization=organization,
        scale=spec["scale"],
        start_date=start,
        end_date=end,
        status=INITIATIVE_STATUS[decision],
        labelled_at=DECIDED if decision == Decision.LABELLED else None,
        created_by=author,
    )
    initiative.full_clean()
    initiative.save()
    _backdate(initiative, spec["eoi"] - datetime.timedelta(days=3))
    initiative.goals.set(Goal.objects.filter(number__in=spec["goals"]))
    initiative.targets.set(Target.objects.filter(code__in=spec["targets"]))
    initiative.policy_areas.set(areas)
    initiative.partners.set(partners)
    place, latitude, longitude = spec["place"]
    Location.objects.create(
        initiative=initiative, name=place, latitude=Decimal(latitude), longitude=Decimal(longitude)
    )
    for language, (title, summary) in spec.get("translations", {}).items():
        InitiativeTranslation.objects.create(
            initiative=initiative, language=language, title=title, summary=summary
        )

    application = Application.objects.create(
        call=call,
        initiative=initiative,
        status=decision,
        answers=_answers(call, spec, organization),
        support_requested=spec["support"],
        eoi_submitted_at=spec["eoi"],
        submitted_at=spec["submitted"],
        decided_at=DECIDED,
        decision_reason=spec["reason"],
        created_by=author,
    )
    _backdate(application, spec["eoi"] - datetime.timedelta(days=3))
    for title, due_date, success_criteria in spec["deliverables"]:
        PlannedDeliverable.objects.create(
            application=application,
            title=title,
            due_date=due_date,
            success_criteria=success_criteria,
        )
    for n, (reviewer, scores, comment) in enumerate(
        zip(reviewers, spec["scores"], spec["comments"], strict=True)
    ):
        submitted_at = ASSIGNED + datetime.timedelta(days=12 + 4 * n, hours=len(spec["title"]))
        review = Review.objects.create(
            application=application,
            reviewer=reviewer,
            assigned_by=staff,
            status=ReviewStatus.SUBMITTED,
            recommendation=RECOMMENDATION[decision],
            comment=comment,
            submitted_at=submitted_at,
        )
        _backdate(review, ASSIGNED)
        Score.objects.bulk_create(
            Score(review=review, criterion=criterion, score=score)
            for criterion, score in zip(criteria, scores, strict=True)
        )

    # The decision is recorded as `application_decide` records it, with who, when and why.
    audit_record(
        actor=staff,
        action="application.decide",
        target=application,
        changes={"status": [ApplicationStatus.SUBMITTED, decision]},
        reason=spec["reason"],
    )
    _backdate_last_audit(application, DECIDED)
    audit_record(
        actor=staff,
        action="initiative.status",
        target=initiative,
        changes={"status": [InitiativeStatus.SUBMITTED, INITIATIVE_STATUS[decision]]},
        reason=spec["reason"],
    )
    _backdate_last_audit(initiative, DECIDED)


# The open call ------------------------------------------------------------------------------

OPEN_TITLE = "Local4Action HUBs 2027 \u2014 least developed countries"
OPEN_DESCRIPTION = (
    "<p>This call is open to local and regional governments, and their associations, in the "
    "<strong>least developed countries</strong>.</p>"
    "<p>Besides the HUB label, selected initiatives receive <em>seed funding</em> or "
    "<em>international expertise</em> from peers in the network.</p>"
    "<ul><li><strong>Stage 1, expression of interest</strong>: three short questions.</li>"
    "<li><strong>Stage 2, full application</strong>: for shortlisted initiatives.</li></ul>"
    "<p>You can write in English, French or Spanish.</p>"
)


def _end_of_day(moment: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(moment, MADRID)
    return local.replace(hour=23, minute=59, second=0, microsecond=0)


def _seed_open_call(*, staff: User) -> Call:
    now = timezone.now()
    opens = timezone.localtime(now - datetime.timedelta(days=7), MADRID).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    call = services.call_create(
        actor=staff,
        data={
            "title": OPEN_TITLE,
            "description": OPEN_DESCRIPTION,
            "time_zone": "Europe/Madrid",
            "opens_at": opens,
            "eoi_closes_at": _end_of_day(now + datetime.timedelta(weeks=3)),
            "closes_at": _end_of_day(now + datetime.timedelta(weeks=9)),
            "eligible_kinds": list(LRG_KINDS),
            "target_countries": LDC_COUNTRIES,
            "support_offered": [Support.SEED_FUNDING, Support.EXPERTISE],
            "reviewers_per_application": 2,
        },
    )
    call = services.call_set_status(actor=staff, call=call, status=CallStatus.OPEN)
    goals = {g.number: g for g in Goal.objects.all()}

    # Ouahigouya (Burkina Faso) sends its expression of interest.
    editor = User.objects.get(email="ouahigouya@local4action.test")
    application = services.application_start(
        actor=editor,
        call=call,
        organization=Organization.objects.get(slug="ouahigouya"),
        title="Eau et maraîchage pour les groupements de femmes de Ouahigouya",
    )
    application = services.application_save_draft(
        actor=editor,
        application=application,
        version=application.version,
        answers={
            "innovation": "Les groupements de femmes gèrent eux-mêmes les points d'eau et le "
            "calendrier d'irrigation, avec l'appui technique de la commune.",
            "citizens": "Les femmes maraîchères demandent de l'eau toute l'année et un accès "
            "aux marchés ; l'initiative répond aux deux, en lien avec les ODD 2, 5 et 6.",
            "inspire": "Le modèle de gestion partagée de l'eau peut être repris par d'autres "
            "communes du Sahel, avec un guide en français et en mooré.",
        },
        initiative_data={
            "summary": "La commune aménage des points d'eau et l'irrigation goutte-à-goutte "
            "pour douze groupements de femmes maraîchères autour du barrage de Goinré, et "
            "organise avec elles la vente directe sur les marchés de la ville.",
            "goals": [goals[n] for n in (2, 5, 6) if n in goals],
            "locations": [
                {
                    "name": "Ouahigouya",
                    "latitude": Decimal("13.58278"),
                    "longitude": Decimal("-2.42158"),
                }
            ],
        },
        support_requested=[Support.SEED_FUNDING],
    )
    application = services.application_submit(actor=editor, application=application)

    # Dschang (Cameroon) starts a draft; Cameroon is not a least developed country, so the
    # draft shows the eligibility check at work.
    editor = User.objects.get(email="dschang@local4action.test")
    application = services.application_start(
        actor=editor,
        call=call,
        organization=Organization.objects.get(slug="dschang"),
        title="Dschang, ville propre : tri et compostage avec les quartiers",
    )
    services.application_save_draft(
        actor=editor,
        application=application,
        version=application.version,
        answers={
            "innovation": "Des comités de quartier trient les déchets et vendent le compost aux "
            "agriculteurs des environs.",
        },
        initiative_data={
            "summary": "Collecte séparée, compostage de quartier et vente du compost, avec les "
            "comités de quartier de Dschang.",
            "goals": [goals[n] for n in (11, 12) if n in goals],
        },
    )
    return call


# Entry point --------------------------------------------------------------------------------


def seed(stdout) -> None:
    """Create the demo calls that are missing (found by web address), and say what is there."""
    past_slug, open_slug = slugify(PAST_CALL["title"]), slugify(OPEN_TITLE)
    created = []
    with transaction.atomic():
        staff = User.objects.get(email=STAFF)
        if not Call.objects.filter(slug=past_slug).exists():
            reviewers = [User.objects.get(email=email) for email in REVIEWERS]
            created.append(_seed_past_call(staff=staff, reviewers=reviewers))
        if not Call.objects.filter(slug=open_slug).exists():
            created.append(_seed_open_call(staff=staff))
    applications = Application.objects.filter(call__slug__in=[past_slug, open_slug])
    statuses = list(applications.values_list("status", flat=True))
    drafts = sum(status in DRAFT_STATUSES for status in statuses)
    stdout.write(
        f"Demo calls: {Call.objects.filter(slug__in=[past_slug, open_slug]).count()} calls "
        f"({len(created)} new), {len(statuses)} initiatives "
        f"({statuses.count(ApplicationStatus.LABELLED)} HUBs, "
        f"{statuses.count(ApplicationStatus.ACCOMPANIED)} accompanied, "
        f"{statuses.count(ApplicationStatus.DECLINED)} declined, "
        f"{statuses.count(ApplicationStatus.EOI_SUBMITTED)} expression of interest submitted, "
        f"{drafts} draft)."
    )
