"""Demo monitoring of the HUBs and accompanied initiatives, added by `manage.py seed_demo`.

For each initiative that `calls/demo.py` labelled or accompanies, a year of follow-up ending
today: two or three indicators with their baselines a year ago and a measurement every month,
three to six deliverables, a progress report every six months (the first submitted and
acknowledged with feedback). The stories differ so that the dashboard shows every light:

- green: Xi'an, Bilbao (its forums reached their target early), Venice (one deliverable
  delivered late, the others on time), Cuenca;
- amber: Valongo (fewer municipalities trained than planned, a training module late),
  Chefchaouen (water use per visitor-night falls too slowly);
- red: Barcelona Provincial Council (its second report is six weeks overdue).

Everything is dated from today, so the lights hold whatever the day the demo is created. Teams
with a demo account write through the services, as they would; the others (and everything
dated in the past that the services refuse: submissions, acknowledgements) are written with
the ORM, with `refresh_latest` keeping the indicators' latest values. An initiative that
already has a reporting plan is left alone: running the command again adds nothing.
"""

import datetime
import zoneinfo
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from local4action.accounts.choices import MembershipRole, MembershipStatus
from local4action.accounts.models import User
from local4action.calls.demo import PAST_CALL, STAFF
from local4action.core.models import AuditEvent
from local4action.core.models import Indicator as SdgIndicator
from local4action.core.services import audit_record
from local4action.initiatives.models import Initiative

from . import permissions, selectors, services
from .choices import DeliverableStatus, Direction, Light, ReportStatus
from .models import Deliverable, Indicator, Measurement, MonitoringPlan, ProgressReport

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
PLANNED, IN_PROGRESS = DeliverableStatus.PLANNED, DeliverableStatus.IN_PROGRESS
DELIVERED, DROPPED = DeliverableStatus.DELIVERED, DeliverableStatus.DROPPED
HIGHER, LOWER = Direction.HIGHER, Direction.LOWER

# Share of the expected progress (the straight path from baseline to target) reached today.
ON_TRACK, LAGGING = Decimal("1.08"), Decimal("0.4")
# Monthly ups and downs of values that are not cumulative (shares, delays, consumption).
WIGGLE = [0, 3, -2, 4, 1, -3, 2, 3, -1, 2, 1, 0]


def ind(name, unit, direction, baseline, target, *, pace=ON_TRACK, **options) -> dict:
    """An indicator of the demo. `pace` is ON_TRACK or LAGGING (today's value against the
    straight path from baseline to target), or "reached". `shape` bends the curve (1 straight,
    above 1 a slow start), or `points` draw it: (month, share) with straight lines between
    them, the share being of today's value, or of the target when it is reached (a reached
    indicator needs points). `cumulative` values never go down; `decimals` is how they are
    rounded."""
    return {
        "name": name,
        "unit": unit,
        "direction": direction,
        "baseline": Decimal(baseline),
        "target": Decimal(target),
        "pace": pace,
        "shape": options.get("shape", 1),
        "points": [(month, Decimal(share)) for month, share in options.get("points", [])],
        "cumulative": options.get("cumulative", True),
        "decimals": options.get("decimals", 0),
        "source": options.get("source", ""),
        "sdg": options.get("sdg"),
        "keys": options.get("keys", []),
    }


def dlv(title, due, status=PLANNED, delivered=None, *, criteria="", agreed="", note="") -> dict:
    """A deliverable due `due` days from today (negative: in the past), delivered `delivered`
    days from today."""
    return {
        "title": title,
        "due": due,
        "status": status,
        "delivered": delivered,
        "criteria": criteria,
        "agreed": agreed,
        "description": note,
    }


INITIATIVES = [
    {
        "organization": "xian",
        "indicators": [
            ind(
                "Young people taking part in intercity dialogues",
                "people",
                HIGHER,
                0,
                1200,
                shape=Decimal("1.2"),
                source="Registration lists of the dialogues, Xi'an Jiaotong University",
            ),
            ind(
                "Schools using the sustainable development toolkit",
                "schools",
                HIGHER,
                0,
                40,
                shape=Decimal("1.5"),
                source="Municipal Education Bureau",
                sdg="4.7.1",
            ),
            ind(
                "Youth placements completed",
                "placements",
                HIGHER,
                0,
                200,
                source="Placement agreements signed with companies",
                keys=["sex"],
            ),
        ],
        "deliverables": [
            dlv(
                "First intercity youth dialogue, online and in Xi'an",
                -205,
                DELIVERED,
                -207,
                criteria="300 young participants from at least 10 cities, half of them women.",
                agreed="Xi'an Jiaotong University and the youth councils of the partner cities",
            ),
            dlv(
                "Placements with partner companies: first cohort",
                -62,
                DELIVERED,
                -64,
                criteria="60 placements, half of them for young women.",
                agreed="Xi'an Jiaotong University and the city's chamber of commerce",
            ),
            dlv(
                "Toolkit on education for sustainable development, in Chinese and English",
                24,
                IN_PROGRESS,
                criteria="Used by 40 schools; rated useful by 8 teachers in 10.",
                agreed="Municipal Education Bureau and the pilot schools",
            ),
            dlv(
                "Report on the youth placements",
                372,
                criteria="200 placements, half of them for young women.",
            ),
        ],
        "first_report": -150,
        "report": {
            "narrative": "The first intercity youth dialogue brought together 342 young people "
            "from 14 cities, online and in Xi'an. Nine pilot schools tested the first "
            "lessons of the toolkit.",
            "achievements": "Dialogue held on time; 52% of the participants were young women.",
            "challenges": "Time differences made the online sessions hard for Latin American "
            "cities.",
            "next_steps": "Recorded sessions and a second time slot; first placement cohort.",
            "acceleration": "The university's exchange network let us invite ten new cities in "
            "two months instead of a year.",
            "synchronization": "Two sessions were prepared with the Venice City Solutions 2030 "
            "HUB, which will host the young speakers.",
        },
        "feedback": "Thank you for a clear report. Please break the placements down by sex in "
        "the next one, as the success criteria ask.",
    },
    {
        "organization": "bilbao",
        "indicators": [
            ind(
                "Participantes en los foros de valores",
                "personas",
                HIGHER,
                0,
                1500,
                pace="reached",
                # Forum 1 in the second month, forum 2 in the eleventh; online in between.
                points=[(1, "0.04"), (2, "0.54"), (10, "0.78"), (11, "1.02"), (12, "1.06")],
                source="Inscripciones y asistencia a los foros (presencial y en línea)",
            ),
            ind(
                "Días medios para responder a las propuestas ciudadanas",
                "días",
                LOWER,
                45,
                15,
                cumulative=False,
                decimals=1,
                source="Registro municipal de propuestas ciudadanas",
            ),
            ind(
                "Entidades adheridas a la Carta de valores",
                "entidades",
                HIGHER,
                0,
                30,
                shape=Decimal("1.8"),
                source="Registro de adhesiones a la Carta",
            ),
        ],
        "deliverables": [
            dlv(
                "Foro 1: Manifiesto de valores",
                -296,
                DELIVERED,
                -299,
                criteria="Manifiesto aprobado por el foro, con al menos 500 participantes.",
                agreed="Consejo de participación ciudadana de Bilbao",
            ),
            dlv(
                "Foro 2: Carta de valores",
                -23,
                DELIVERED,
                -25,
                criteria="Carta firmada por el Ayuntamiento y 30 entidades.",
                agreed="Consejo de participación ciudadana de Bilbao",
            ),
            dlv(
                "Versión en lectura fácil del Manifiesto",
                -150,
                DELIVERED,
                -160,
                criteria="Validada por personas con discapacidad intelectual.",
                agreed="Asociaciones de personas con discapacidad",
            ),
            dlv(
                "Foro 3: Agenda de valores",
                190,
                criteria="Agenda con acciones e indicadores, compartida con otras ciudades.",
            ),
        ],
        "first_report": -140,
        "report": {
            "narrative": "El primer foro aprobó el Manifiesto de valores con 812 participantes, "
            "y el plazo de respuesta a las propuestas ciudadanas bajó de 45 a 31 días.",
            "achievements": "Manifiesto aprobado y publicado, también en lectura fácil.",
            "challenges": "Llegar a la juventud de los barrios altos.",
            "next_steps": "Segundo foro sobre la Carta de valores, con las entidades.",
            "acceleration": "El sello HUB abrió la puerta a entidades que no participaban en "
            "los procesos municipales.",
            "synchronization": "Intercambio con el HUB de Valongo sobre la participación de "
            "grupos poco representados.",
        },
        "feedback": "Muy buen informe. El foro superó lo previsto: compartid el método con "
        "los demás HUBs en Venecia.",
        "current_draft": {
            "narrative": "El segundo foro aprobó la Carta de valores; ya se han adherido 24 "
            "entidades.",
        },
    },
    {
        "organization": "aiccre",
        "indicators": [
            ind(
                "Local and regional governments presenting solutions at the forum",
                "LRGs",
                HIGHER,
                0,
                120,
                points=[(0, 0), (1, "0.45"), (11, "0.5"), (12, 1)],
                source="Forum programme and registration",
            ),
            ind(
                "Local4Action HUBs presenting their results",
                "HUBs",
                HIGHER,
                0,
                13,
                points=[(11, 0), (12, 1)],
                source="Forum programme",
            ),
        ],
        "deliverables": [
            dlv(
                "Venice City Solutions 2030, 2025 edition",
                -358,
                DELIVERED,
                -359,
                criteria="Delegations from 25 countries.",
                agreed="AICCRE board and UN-Habitat",
            ),
            dlv(
                "Conclusions of the 2025 edition published",
                -328,
                DELIVERED,
                -290,
                criteria="Published within a month of the forum, in English and Italian.",
                note="Published late: the translation took longer than planned.",
            ),
            dlv(
                "2026 edition with a session of all Local4Action HUBs",
                -8,
                DELIVERED,
                -9,
                criteria="Every labelled HUB presents its results.",
                agreed="The Local4Action HUBs",
            ),
            dlv(
                "Compendium of HUB results for the High-Level Political Forum",
                220,
                IN_PROGRESS,
                criteria="Cited in the yearly report of LRGs to the HLPF.",
            ),
        ],
        "first_report": -160,
        "report": {
            "narrative": "The 2025 edition gathered delegations from 31 countries; some twenty "
            "local and regional governments presented their solutions.",
            "achievements": "Forum held; preparation of the HUB session of 2026 under way.",
            "challenges": "The conclusions were published five weeks late.",
            "next_steps": "Invite every labelled HUB to the 2026 edition.",
            "acceleration": "Solutions presented in Venice were taken up by three other "
            "associations of LRGs within the year.",
            "synchronization": "The forum is where the HUBs meet: Xi'an and Bilbao will "
            "present together in 2026.",
        },
        "feedback": "Thank you. Please plan the translation of the conclusions earlier this year.",
    },
    {
        "organization": "valongo",
        "indicators": [
            ind(
                "Municipalities trained",
                "municipalities",
                HIGHER,
                0,
                10,
                pace=LAGGING,
                # The first module slipped: training started in the tenth month.
                points=[(9, 0), (10, "0.5"), (12, 1)],
                source="Attendance of the training programme",
            ),
            ind(
                "Share of proposals from under-represented groups",
                "%",
                HIGHER,
                12,
                33,
                cumulative=False,
                decimals=1,
                source="Participatory budgeting platform, with the university planning lab",
                sdg="16.7.2",
            ),
            ind(
                "Votes cast in the participatory budget",
                "votes",
                HIGHER,
                2100,
                5000,
                source="Participatory budgeting platform",
            ),
        ],
        "deliverables": [
            dlv(
                "Inclusive participatory budgeting cycle 2026",
                -146,
                DELIVERED,
                -150,
                criteria="A third of the proposals come from under-represented groups.",
                agreed="University planning lab and the parish councils",
            ),
            dlv(
                "Easy-read guide to participatory budgeting",
                -90,
                DELIVERED,
                -96,
                criteria="Tested with older residents and people with disabilities.",
            ),
            dlv(
                "Training programme for ten municipalities: first module",
                -40,
                IN_PROGRESS,
                criteria="Ten municipalities trained; three of them run their own cycle.",
                agreed="Intermunicipal community of the Porto region",
                note="Postponed: four municipalities asked to move it after their budgets.",
            ),
            dlv(
                "Open evaluation of who takes part",
                282,
                criteria="Published with its data under an open licence.",
            ),
        ],
        "first_report": -145,
        "report": {
            "narrative": "The 2026 cycle received 214 proposals, a fifth of them from young "
            "people, older residents, people with disabilities and migrants (12% before).",
            "achievements": "Cycle completed on time; easy-read guide in print.",
            "challenges": "Municipalities are slower than planned to join the training.",
            "next_steps": "First training module with the intermunicipal community.",
            "acceleration": "The university lab measured who takes part in weeks, not months.",
            "synchronization": "Exchange with Bilbao on reaching residents who never take part.",
        },
        "feedback": "Good progress on inclusion. The training is behind: tell us if the "
        "secretariat can help recruit municipalities.",
    },
    {
        "organization": "diba",
        "indicators": [
            ind(
                "Women candidates trained",
                "women",
                HIGHER,
                0,
                400,
                # The first round of training ran in the ninth and tenth months.
                points=[(8, "0.05"), (10, "0.85"), (12, 1)],
                source="Attendance of the training sessions, Barcelona and Morocco",
            ),
            ind(
                "Active mentoring pairs",
                "pairs",
                HIGHER,
                0,
                40,
                pace="reached",
                points=[(1, "0.2"), (4, "0.55"), (7, "0.9"), (8, 1), (12, "1.05")],
                source="Mentoring programme register",
            ),
            ind(
                "Partner local governments with an adopted equality plan",
                "local governments",
                HIGHER,
                0,
                16,
                shape=Decimal("1.3"),
                source="Council decisions of the partner local governments",
            ),
        ],
        "deliverables": [
            dlv(
                "Mentoring programme between elected women",
                -146,
                DELIVERED,
                -152,
                criteria="40 mentoring pairs across both countries.",
                agreed="The 16 Moroccan partner local governments",
            ),
            dlv(
                "Exchange visit of Moroccan councillors to the province of Barcelona",
                -100,
                DROPPED,
                note="Replaced by online exchanges after the visas could not be obtained in time.",
            ),
            dlv(
                "Training of women candidates: first round",
                -60,
                DELIVERED,
                -61,
                criteria="150 women trained ahead of the local elections.",
                agreed="Partner local governments and women's associations",
            ),
            dlv(
                "Equality plans in the partner local governments",
                219,
                IN_PROGRESS,
                criteria="16 plans adopted by their councils.",
            ),
            dlv(
                "Guide to women's political leadership at the local level",
                585,
                criteria="Published in Arabic, Catalan, French and Spanish.",
            ),
        ],
        "first_report": -225,
        "report": {
            "narrative": "The mentoring programme started with 22 pairs of elected women from "
            "both shores of the Mediterranean.",
            "achievements": "Mentoring pairs formed; training curriculum agreed.",
            "challenges": "Visas for the exchange visit.",
            "next_steps": "First round of training for women candidates.",
            "acceleration": "The label convinced six more Moroccan communes to join.",
            "synchronization": "Linked with the organization's gender equality policy council.",
        },
        "feedback": "A strong start. Please send the next report on time: it feeds the HLPF "
        "report.",
        # The second report, six weeks overdue, was started and left unfinished.
        "overdue_draft": {
            "narrative": "The first round of training reached more than 130 women candidates.",
        },
    },
    {
        "organization": "chefchaouen",
        "indicators": [
            ind(
                "Consommation d'eau par nuitée touristique",
                "litres",
                LOWER,
                180,
                120,
                pace=LAGGING,
                cumulative=False,
                source="Office national de l'eau potable, relevés des hébergements",
                sdg="6.4.1",
            ),
            ind(
                "Points de collecte sélective dans la médina",
                "points",
                HIGHER,
                4,
                40,
                source="Service communal de la propreté",
            ),
        ],
        "deliverables": [
            dlv(
                "Diagnostic partagé de la consommation d'eau dans la médina",
                -210,
                DELIVERED,
                -214,
                criteria="Relevés de 60 hébergements, présentés aux habitants.",
                agreed="Association des riads et maisons d'hôtes, comités de quartier",
            ),
            dlv(
                "Campagne de sensibilisation des visiteurs (été 2026)",
                -120,
                DELIVERED,
                -125,
                criteria="Affiches en cinq langues dans tous les hébergements partenaires.",
            ),
            dlv(
                "Charte du tourisme responsable",
                40,
                IN_PROGRESS,
                criteria="Signée par la commune et 50 professionnels du tourisme.",
                agreed="Habitants et professionnels du tourisme",
            ),
        ],
        "first_report": -135,
        "report": {
            "narrative": "Le diagnostic a montré que les hébergements consomment 180 litres "
            "par nuitée ; la campagne d'été a touché 40 hébergements.",
            "achievements": "Diagnostic partagé avec les habitants ; campagne réalisée.",
            "challenges": "Les économies d'eau dépendent d'équipements que peu d'hébergements "
            "peuvent financer.",
            "next_steps": "Rédiger la charte avec les professionnels.",
            "acceleration": "L'accompagnement du secrétariat a mis la commune en relation avec "
            "des experts de la gestion de l'eau.",
            "synchronization": "Échanges avec Venise sur le tourisme dans les centres historiques.",
        },
        "feedback": "Merci. La consommation d'eau baisse moins vite que prévu : nous pouvons "
        "chercher avec vous un financement pour les équipements.",
    },
    {
        "organization": "cuenca",
        "indicators": [
            ind(
                "Kilómetros de ribera restaurados",
                "km",
                HIGHER,
                0,
                12,
                decimals=1,
                shape=Decimal("1.2"),
                source="Empresa municipal ETAPA",
            ),
            ind(
                "Sensores comunitarios de crecidas en funcionamiento",
                "sensores",
                HIGHER,
                0,
                25,
                source="Red comunitaria de monitoreo del río Yanuncay",
            ),
        ],
        "deliverables": [
            dlv(
                "Mapa participativo de riesgos de las riberas",
                -80,
                DELIVERED,
                -84,
                criteria="Elaborado con 12 barrios ribereños.",
                agreed="Juntas parroquiales y barrios ribereños",
            ),
            dlv(
                "Talleres de restauración con los barrios (primera fase)",
                -30,
                DELIVERED,
                -33,
                criteria="Cuatro talleres, uno por río.",
            ),
            dlv(
                "Red de sensores comunitarios en el río Yanuncay",
                38,
                IN_PROGRESS,
                criteria="25 sensores mantenidos por los barrios.",
                agreed="Universidad de Cuenca y barrios ribereños",
            ),
        ],
        "first_report": -130,
        "report": {
            "narrative": "Se restauraron los primeros 3 km de ribera del Tomebamba con los "
            "barrios y se instalaron 8 sensores comunitarios.",
            "achievements": "Mapa de riesgos en preparación con 12 barrios.",
            "challenges": "Las lluvias de abril retrasaron las obras en el Yanuncay.",
            "next_steps": "Completar la red de sensores.",
            "acceleration": "El acompañamiento nos conectó con expertos en alertas tempranas.",
            "synchronization": "Intercambio con otras ciudades intermedias de la red.",
        },
        "feedback": "Buen avance. Para optar al sello, definid con los barrios los criterios "
        "de éxito de cada entregable.",
    },
]


# Building blocks -----------------------------------------------------------------------------


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=MADRID)


def _team_user(initiative: Initiative) -> User | None:
    """A demo account of the team who may record progress, if there is one."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organization=initiative.lead_organization,
            memberships__status=MembershipStatus.ACTIVE,
            memberships__role__in=[MembershipRole.ADMIN, MembershipRole.EDITOR],
        )
        .order_by("pk")
        .first()
    )


def _target_date(initiative: Initiative, today: datetime.date) -> datetime.date:
    """The end of the initiative's timeline, or a year ahead when it ends too soon."""
    if initiative.end_date and initiative.end_date > today + datetime.timedelta(days=90):
        return initiative.end_date
    return today + relativedelta(years=1)


def _quantize(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals))


def _between(points: list[tuple], month: int) -> Decimal:
    """The share at a month on the line through the points, from (0, 0)."""
    before = (0, Decimal(0))
    for point in points:
        if month <= point[0]:
            (m0, s0), (m1, s1) = before, point
            return s0 + (s1 - s0) * (month - m0) / (m1 - m0)
        before = point
    return before[1]


def series(spec: dict, *, baseline_date, target_date, today) -> list[tuple]:
    """Twelve monthly values ending today, following the story the spec tells."""
    total = Decimal((target_date - baseline_date).days)
    expected = min(Decimal(1), Decimal((today - baseline_date).days) / total)
    span = spec["target"] - spec["baseline"]
    rows = []
    for month in range(1, 13):
        if spec["pace"] == "reached":
            share = _between(spec["points"], month)
        elif spec["points"]:
            share = spec["pace"] * expected * _between(spec["points"], month)
        else:
            share = spec["pace"] * expected * (Decimal(month) / 12) ** spec["shape"]
            if not spec["cumulative"]:
                share += Decimal(WIGGLE[month - 1]) / 100
        day = min(baseline_date + relativedelta(months=month), today)
        rows.append((day, _quantize(spec["baseline"] + span * share, spec["decimals"])))
    return rows


def _indicator(initiative, spec, *, team, today) -> Indicator:
    baseline_date = today - relativedelta(years=1)
    data = {
        "name": spec["name"],
        "unit": spec["unit"],
        "direction": spec["direction"],
        "baseline_value": spec["baseline"],
        "baseline_date": baseline_date,
        "target_value": spec["target"],
        "target_date": _target_date(initiative, today),
        "sdg_indicator": SdgIndicator.objects.filter(code=spec["sdg"]).first()
        if spec["sdg"]
        else None,
        "disaggregation_keys": spec["keys"],
    }
    rows = [
        {"date": day, "value": value, "source": spec["source"]}
        for day, value in series(
            spec, baseline_date=baseline_date, target_date=data["target_date"], today=today
        )
    ]
    if spec["keys"] == ["sex"]:
        # The latest total broken down as the success criteria ask: about half young women.
        last = rows[-1]
        women = (last["value"] * Decimal("0.52")).quantize(Decimal(1))
        rows += [
            {**last, "value": women, "disaggregation": {"sex": "female"}},
            {**last, "value": last["value"] - women, "disaggregation": {"sex": "male"}},
        ]
    if team is not None:
        indicator = services.indicator_save(actor=team, initiative=initiative, data=data)
        services.measurements_import(actor=team, indicator=indicator, rows=rows)
    else:
        indicator = Indicator(initiative=initiative, **data)
        indicator.full_clean(exclude=["latest_value", "latest_date"])
        indicator.save()
        Measurement.objects.bulk_create(
            Measurement(indicator=indicator, created_at=_at(row["date"]), **row) for row in rows
        )
        services.refresh_latest(indicator)
    Indicator.objects.filter(pk=indicator.pk).update(
        created_at=_at(baseline_date), updated_at=_at(baseline_date)
    )
    return indicator


def _deliverable(initiative, spec, *, team, today) -> Deliverable:
    data = {
        "title": spec["title"],
        "description": spec["description"],
        "due_date": today + datetime.timedelta(days=spec["due"]),
        "status": spec["status"],
        "delivered_on": today + datetime.timedelta(days=spec["delivered"])
        if spec["delivered"] is not None
        else None,
        "success_criteria": spec["criteria"],
        "agreed_with": spec["agreed"],
    }
    if team is not None:
        deliverable = services.deliverable_save(actor=team, initiative=initiative, data=data)
    else:
        deliverable = Deliverable(initiative=initiative, **data)
        deliverable.full_clean()
        deliverable.save()
    created = _at(today - relativedelta(years=1))
    changed = _at(deliverable.delivered_on) if deliverable.delivered_on else created
    Deliverable.objects.filter(pk=deliverable.pk).update(created_at=created, updated_at=changed)
    return deliverable


def _backdated_audit(*, actor, action: str, target, when: datetime.datetime, reason="") -> None:
    event = audit_record(actor=actor, action=action, target=target, reason=reason)
    AuditEvent.objects.filter(pk=event.pk).update(created_at=when)


def _reports(initiative, spec, *, team, staff, today) -> None:
    """A report every six months; the first submitted and acknowledged with feedback."""
    first_due = today + datetime.timedelta(days=spec["first_report"])
    services.plan_set(
        actor=staff, initiative=initiative, report_every_months=6, first_report_due=first_due
    )
    reports = list(ProgressReport.objects.filter(initiative=initiative).order_by("due_date"))
    if not reports:  # the timeline ended long before today: nothing left to report
        return
    first, second = reports[0], (reports[1:] or [None])[0]
    submitted_at = _at(first.due_date - datetime.timedelta(days=2), 11)
    acknowledged_at = _at(first.due_date + datetime.timedelta(days=12), 16)
    ProgressReport.objects.filter(pk=first.pk).update(
        **spec["report"],
        status=ReportStatus.ACKNOWLEDGED,
        version=4,
        submitted_at=submitted_at,
        submitted_by=team,
        acknowledged_at=acknowledged_at,
        acknowledged_by=staff,
        feedback=spec["feedback"],
        created_at=_at(first.period_start),
        updated_at=acknowledged_at,
    )
    _backdated_audit(actor=team, action="report.submit", target=first, when=submitted_at)
    _backdated_audit(
        actor=staff,
        action="report.acknowledge",
        target=first,
        when=acknowledged_at,
        reason=spec["feedback"],
    )
    draft = spec.get("overdue_draft") or spec.get("current_draft")
    if draft is None or second is None:
        return
    if team is not None:
        services.report_save(actor=team, report=second, data=draft)
    else:
        ProgressReport.objects.filter(pk=second.pk).update(**draft, version=2)


def _seed_initiative(initiative: Initiative, spec: dict, *, staff: User, today) -> None:
    team = _team_user(initiative)
    for indicator in spec["indicators"]:
        _indicator(initiative, indicator, team=team, today=today)
    for deliverable in spec["deliverables"]:
        _deliverable(initiative, deliverable, team=team, today=today)
    _reports(initiative, spec, team=team, staff=staff, today=today)


def demo_initiatives() -> dict[str, Initiative]:
    """The HUBs and accompanied initiatives of the demo's decided call, by lead organization."""
    found = Initiative.objects.filter(
        applications__call__slug=slugify(PAST_CALL["title"]),
        status__in=permissions.FOLLOWED,
    ).select_related("lead_organization")
    return {initiative.lead_organization.slug: initiative for initiative in found}


# Entry point --------------------------------------------------------------------------------


def seed(stdout) -> None:
    """Give every demo HUB and accompanied initiative without a reporting plan its year of
    monitoring, and say which lights the portfolio shows."""
    today = timezone.localdate()
    initiatives = demo_initiatives()
    created = 0
    with transaction.atomic():
        staff = User.objects.get(email=STAFF)
        planned = set(
            MonitoringPlan.objects.filter(
                initiative__in=[i.pk for i in initiatives.values()]
            ).values_list("initiative_id", flat=True)
        )
        for spec in INITIATIVES:
            initiative = initiatives.get(spec["organization"])
            if initiative is None or initiative.pk in planned:
                continue
            _seed_initiative(initiative, spec, staff=staff, today=today)
            created += 1
    # Some records were written straight to the database: store every demo initiative's
    # status as judged today.
    services.statuses_refresh(initiative_ids=[i.pk for i in initiatives.values()])
    summaries = selectors.summarize_many(
        Initiative.objects.filter(pk__in=[i.pk for i in initiatives.values()])
    )
    lights = [summary.light for summary in summaries.values()]
    stdout.write(
        f"Demo monitoring: {len(initiatives)} initiatives followed ({created} new): "
        f"{lights.count(Light.GREEN)} green, {lights.count(Light.AMBER)} amber, "
        f"{lights.count(Light.RED)} red."
    )
