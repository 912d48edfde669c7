"""Demo network, added by `manage.py seed_demo` (after the demo calls, monitoring and events).

- Offers and needs for the demo HUBs and accompanied initiatives, in their own words, so that
  matching has pairs to suggest (Chefchaouen needs what Cuenca offers on water, Valongo offers
  the training Barcelona Provincial Council needs…).
- Accepted connections between demo HUBs, of every kind, decided over the past months (so the
  secretariat's "connections per month" shows a curve) and across regions; and one request
  waiting for an answer: Xi'an asks Bilbao, whose demo team can accept it.
- Related initiatives computed at the end for every initiative (`relations_refresh_all`; an
  unchanged text is not embedded again, so a second run is quick).

The services refuse to write in the past, so accepted connections are written with the ORM as
`connection_decide` would have left them (with their audit rows, dated); offers, needs and the
waiting request go through the services. Something already there is left alone: running the
command again adds nothing.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from local4action.accounts.choices import MembershipRole, MembershipStatus
from local4action.accounts.models import User
from local4action.calls.demo import STAFF
from local4action.core.models import AuditEvent
from local4action.core.services import audit_record
from local4action.monitoring.demo import demo_initiatives

from . import services
from .choices import ConnectionKind, ConnectionStatus, ExchangeCategory, ExchangeSide
from .models import Connection, ExchangeItem, Relation

OFFER, NEED = ExchangeSide.OFFER, ExchangeSide.NEED

# organization slug: [(side, category, title, description)]
ITEMS = {
    "xian": [
        (
            OFFER,
            ExchangeCategory.METHOD,
            "Intercity youth dialogue format",
            "A tested format for online and in-person dialogues between young people of "
            "partner cities, with facilitation guides in Chinese and English.",
        ),
        (
            NEED,
            ExchangeCategory.PEER_VISIT,
            "Peer visit on youth participation in city councils",
            "We would like to see how a European city involves young people in its decisions.",
        ),
    ],
    "bilbao": [
        (
            OFFER,
            ExchangeCategory.METHOD,
            "Foros ciudadanos de valores",
            "Metodología de foros en línea con la ciudadanía y las entidades para redactar un "
            "manifiesto, una carta y una agenda de valores.",
        ),
        (
            NEED,
            ExchangeCategory.DATA_TOOL,
            "Herramienta de seguimiento de indicadores de convivencia",
            "Buscamos una herramienta abierta para seguir indicadores de convivencia por barrio.",
        ),
    ],
    "aiccre": [
        (
            OFFER,
            ExchangeCategory.EXPERTISE,
            "Advice on presenting results at international forums",
            "Support to prepare a solution for Venice City Solutions 2030 and for global advocacy.",
        ),
        (
            OFFER,
            ExchangeCategory.PARTNERSHIP,
            "A session for every HUB at the yearly forum",
            "Each Local4Action HUB can present its results at the forum in Venice.",
        ),
    ],
    "valongo": [
        (
            OFFER,
            ExchangeCategory.TRAINING,
            "Training on participatory budgeting",
            "A four-module training for municipal staff on participatory processes open to "
            "migrants and young people.",
        ),
        (
            NEED,
            ExchangeCategory.DATA_TOOL,
            "A tool to follow participation indicators",
            "We need an open tool to follow who takes part in participatory processes.",
        ),
    ],
    "diba": [
        (
            NEED,
            ExchangeCategory.TRAINING,
            "Training on participatory processes for women councillors",
            "Training for newly elected women councillors on participatory processes.",
        ),
        (
            OFFER,
            ExchangeCategory.METHOD,
            "Mentoring programme for women in local politics",
            "A mentoring method pairing experienced and newly elected women councillors.",
        ),
    ],
    "chefchaouen": [
        (
            NEED,
            ExchangeCategory.DATA_TOOL,
            "Outil de suivi de la consommation d'eau touristique",
            "Nous cherchons un outil pour suivre la consommation d'eau par nuitée touristique.",
        ),
        (
            OFFER,
            ExchangeCategory.PEER_VISIT,
            "Visite de la médina bleue et de sa gestion de l'eau",
            "Une visite d'étude de deux jours sur l'eau et le tourisme dans une ville "
            "intermédiaire.",
        ),
    ],
    "cuenca": [
        (
            OFFER,
            ExchangeCategory.DATA_TOOL,
            "Tablero abierto de calidad del agua de los ríos",
            "Un tablero de datos abierto sobre la calidad del agua, adaptable a otras ciudades "
            "intermedias.",
        ),
        (
            NEED,
            ExchangeCategory.FUNDING,
            "Cofinanciación para restaurar riberas",
            "Buscamos socios para cofinanciar la restauración de las riberas urbanas.",
        ),
    ],
}

# source, target, kind, message, days ago it was asked, days later it was accepted
ACCEPTED = [
    (
        "xian",
        "aiccre",
        ConnectionKind.PEER_LEARNING,
        "We would like to present our youth dialogues in Venice and learn from other HUBs.",
        170,
        6,
    ),
    (
        "valongo",
        "bilbao",
        ConnectionKind.PEER_LEARNING,
        "Our participatory processes and your forums of values have a lot in common.",
        140,
        4,
    ),
    (
        "diba",
        "valongo",
        ConnectionKind.JOINT_PROJECT,
        "A joint training on participation for women councillors in our two regions?",
        110,
        9,
    ),
    (
        "cuenca",
        "chefchaouen",
        ConnectionKind.REPLICATION,
        "Nos gustaría adaptar su gestión del agua turística a los ríos de Cuenca.",
        80,
        5,
    ),
    (
        "aiccre",
        "chefchaouen",
        ConnectionKind.MENTORING,
        "We offer to accompany Chefchaouen towards its presentation at Venice City Solutions.",
        50,
        3,
    ),
    (
        "aiccre",
        "cuenca",
        ConnectionKind.MENTORING,
        "We offer to accompany Cuenca towards its presentation at Venice City Solutions.",
        25,
        2,
    ),
]
# Waiting for Bilbao's demo team to answer.
WAITING = (
    "xian",
    "bilbao",
    ConnectionKind.PEER_LEARNING,
    "Our young people would like to take part in one of your forums of values.",
)


def _team_member(initiative) -> User | None:
    membership = (
        initiative.lead_organization.memberships.filter(
            status=MembershipStatus.ACTIVE, role__in=[MembershipRole.ADMIN, MembershipRole.EDITOR]
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _backdate_audit(target, when: datetime.datetime) -> None:
    event = (
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
        )
        .order_by("-pk")
        .first()
    )
    AuditEvent.objects.filter(pk=event.pk).update(created_at=when)


def _pair_exists(source, target) -> bool:
    low, high = sorted([source.pk, target.pk])
    return Connection.objects.filter(low_id=low, high_id=high).exists()


def _seed_items(initiatives: dict, staff: User) -> int:
    created = 0
    for slug, items in ITEMS.items():
        initiative = initiatives.get(slug)
        if initiative is None:
            continue
        actor = _team_member(initiative) or staff
        existing = set(initiative.exchange_items.values_list("title", flat=True))
        for side, category, title, description in items:
            if title in existing:
                continue
            services.exchange_item_save(
                actor=actor,
                initiative=initiative,
                data={
                    "side": side,
                    "category": category,
                    "title": title,
                    "description": description,
                },
            )
            created += 1
    return created


def _seed_connections(initiatives: dict, staff: User, now: datetime.datetime) -> int:
    created = 0
    for source_slug, target_slug, kind, message, asked, after in ACCEPTED:
        source, target = initiatives.get(source_slug), initiatives.get(target_slug)
        if source is None or target is None or _pair_exists(source, target):
            continue
        requested_at = now - datetime.timedelta(days=asked)
        decided_at = requested_at + datetime.timedelta(days=after, hours=3)
        requester = _team_member(source) or staff
        decider = _team_member(target) or staff
        connection = Connection.objects.create(
            source=source,
            target=target,
            kind=kind,
            message=message,
            status=ConnectionStatus.ACCEPTED,
            requested_by=requester,
            decided_by=decider,
            decided_at=decided_at,
        )
        Connection.objects.filter(pk=connection.pk).update(
            created_at=requested_at, updated_at=decided_at
        )
        audit_record(
            actor=requester,
            action="connection.request",
            target=connection,
            changes={"kind": kind},
        )
        _backdate_audit(connection, requested_at)
        audit_record(actor=decider, action="connection.accepted", target=connection)
        _backdate_audit(connection, decided_at)
        created += 1
    source_slug, target_slug, kind, message = WAITING
    source, target = initiatives.get(source_slug), initiatives.get(target_slug)
    if source is not None and target is not None and not _pair_exists(source, target):
        services.connection_request(
            actor=_team_member(source) or staff,
            source=source,
            target=target,
            kind=kind,
            message=message,
        )
        created += 1
    return created


def seed(stdout) -> None:
    """Add the demo offers, needs and connections that are missing, compute the related
    initiatives, and say what is there."""
    now = timezone.now()
    with transaction.atomic():
        staff = User.objects.get(email=STAFF)
        initiatives = demo_initiatives()
        items = _seed_items(initiatives, staff)
        connections = _seed_connections(initiatives, staff, now)
    related = services.relations_refresh_all()
    ids = [i.pk for i in initiatives.values()]
    stdout.write(
        f"Demo network: {ExchangeItem.objects.filter(initiative__in=ids).count()} offers and "
        f"needs ({items} new), "
        f"{Connection.objects.filter(status=ConnectionStatus.ACCEPTED).count()} connections "
        f"and {Connection.objects.filter(status=ConnectionStatus.REQUESTED).count()} waiting "
        f"({connections} new), related initiatives computed for {related} initiatives "
        f"({Relation.objects.count()} relations)."
    )
