"""Reads of the network: related initiatives, offers and needs with their matches,
connections, the network picture and its numbers."""

import datetime
from collections import Counter

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from local4action.accounts.choices import MembershipRole, MembershipStatus
from local4action.accounts.permissions import is_secretariat
from local4action.core import search
from local4action.initiatives.choices import PUBLIC_STATUSES
from local4action.initiatives.models import Initiative
from local4action.initiatives.permissions import can_view_initiative

from .choices import ConnectionKind, ConnectionStatus, ExchangeSide
from .models import Connection, ExchangeItem, Relation

MATCH_CANDIDATES = 200


def connection_get(user, pk: int) -> Connection:
    """A connection; 404 (nothing of it leaks) for those who may not see both initiatives."""
    connection = get_object_or_404(
        Connection.objects.select_related("source__lead_organization", "target__lead_organization"),
        pk=pk,
    )
    for initiative in (connection.source, connection.target):
        if not can_view_initiative(user, initiative):
            raise Http404
    return connection


def exchange_item_get(user, pk: int) -> ExchangeItem:
    """An offer or need; 404 for those who may not see its initiative."""
    item = get_object_or_404(ExchangeItem.objects.select_related("initiative"), pk=pk)
    if not can_view_initiative(user, item.initiative):
        raise Http404
    return item


def related_to(initiative: Initiative, limit: int = 10) -> list[Relation]:
    """The initiative's nearest public neighbours, best first: one indexed query."""
    return list(
        Relation.objects.filter(initiative=initiative, other__status__in=PUBLIC_STATUSES)
        .select_related("other__lead_organization")
        .order_by("-score", "other_id")[:limit]
    )


def connections_of(initiative: Initiative, statuses=(ConnectionStatus.ACCEPTED,)) -> QuerySet:
    return (
        Connection.objects.filter(Q(source=initiative) | Q(target=initiative), status__in=statuses)
        .select_related("source", "target")
        .order_by("-decided_at", "-created_at")
    )


def requests_waiting(initiative: Initiative) -> QuerySet:
    """Requests other initiatives sent to this one, waiting for its answer."""
    return Connection.objects.filter(
        target=initiative, status=ConnectionStatus.REQUESTED
    ).select_related("source", "requested_by")


def exchange_items(initiative: Initiative) -> QuerySet:
    return initiative.exchange_items.all()


def _words(item: ExchangeItem) -> set[str]:
    return set(search.document(item.title, item.description).split())


def matches_for(initiative: Initiative, limit: int = 10) -> list[dict]:
    """Pairs of this initiative's needs with others' offers (and its offers with others' needs)
    in the same category, ranked by shared words and by how related the initiatives are."""
    mine = list(initiative.exchange_items.all())
    if not mine:
        return []
    related = dict(Relation.objects.filter(initiative=initiative).values_list("other_id", "score"))
    matches = []
    for item in mine:
        opposite = ExchangeSide.NEED if item.side == ExchangeSide.OFFER else ExchangeSide.OFFER
        candidates = (
            ExchangeItem.objects.filter(
                side=opposite, category=item.category, initiative__status__in=PUBLIC_STATUSES
            )
            .exclude(initiative=initiative)
            .select_related("initiative")
            .order_by("-updated_at")[:MATCH_CANDIDATES]
        )
        words = _words(item)
        for other in candidates:
            shared = words & _words(other)
            overlap = len(shared) / max(len(words | _words(other)), 1)
            closeness = related.get(other.initiative_id, 0.0)
            reasons = ["category"]
            if shared:
                reasons.append("words")
            if closeness:
                reasons.append("related")
            matches.append(
                {
                    "mine": item,
                    "theirs": other,
                    "score": round(0.6 * overlap + 0.4 * closeness, 4),
                    "reasons": reasons,
                    "shared_words": sorted(shared)[:5],
                }
            )
    matches.sort(key=lambda match: (-match["score"], match["theirs"].pk))
    return matches[:limit]


def graph(*, goal: int | None = None, section: int | None = None) -> dict:
    """Nodes (public initiatives matching the filters) and edges (accepted connections between
    them), with what the picture colours by; each node counts its accepted connections with any
    public initiative. A fixed number of queries whatever the size of the network."""
    initiatives = Initiative.objects.filter(status__in=PUBLIC_STATUSES)
    if goal:
        initiatives = initiatives.filter(goals__number=goal)
    if section:
        initiatives = initiatives.filter(lead_organization__regional_section_id=section)
    initiatives = (
        initiatives.distinct()
        .select_related("lead_organization__regional_section")
        .prefetch_related("goals")
        .order_by("title", "pk")
    )
    nodes = {}
    for initiative in initiatives:
        goals = list(initiative.goals.all())
        section_obj = initiative.lead_organization.regional_section
        nodes[initiative.pk] = {
            "id": initiative.pk,
            "title": initiative.title,
            "url": initiative.get_absolute_url(),
            "goal": goals[0].number if goals else None,
            "goal_color": goals[0].color if goals else None,
            "goals": [g.number for g in goals],
            "region": section_obj.pk if section_obj else None,
            "region_name": section_obj.name if section_obj else "",
            "country": str(initiative.lead_organization.country or ""),
            "connections": 0,
        }
    edges = []
    for pk, source, target, kind in Connection.objects.filter(
        status=ConnectionStatus.ACCEPTED,
        source__status__in=PUBLIC_STATUSES,
        target__status__in=PUBLIC_STATUSES,
    ).values_list("pk", "source_id", "target_id", "kind"):
        for end in (source, target):
            if end in nodes:
                nodes[end]["connections"] += 1
        if source in nodes and target in nodes:
            edges.append({"id": pk, "source": source, "target": target, "kind": kind})
    return {"nodes": list(nodes.values()), "edges": edges}


def numbers(now=None) -> dict:
    """For the secretariat: connections per month (last 12 months), public initiatives without
    any connection, and the share of connections across regions."""
    now = now or timezone.now()
    accepted = Connection.objects.filter(status=ConnectionStatus.ACCEPTED)
    per_month = list(
        accepted.filter(decided_at__gte=now - datetime.timedelta(days=366))
        .annotate(month=TruncMonth("decided_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("month")
    )
    connected = set(accepted.values_list("source_id", flat=True)) | set(
        accepted.values_list("target_id", flat=True)
    )
    public = Initiative.objects.filter(status__in=PUBLIC_STATUSES)
    regions = Counter(
        a == b
        for a, b in accepted.values_list(
            "source__lead_organization__regional_section",
            "target__lead_organization__regional_section",
        )
    )
    total = sum(regions.values())
    return {
        "per_month": per_month,
        "connections": total,
        "without_connection": public.exclude(pk__in=connected).count(),
        "initiatives": public.count(),
        "cross_region_share": (regions[False] / total) if total else None,
    }


def synchronization(initiative: Initiative) -> dict:
    """What the monitoring "synchronization" section counts for one initiative."""
    accepted = connections_of(initiative)
    by_kind = dict(Counter(accepted.values_list("kind", flat=True)))
    return {
        "connections": sum(by_kind.values()),
        "waiting": requests_waiting(initiative).count(),
        "by_kind": by_kind,
        # Every kind with its label and count, in the order of the choices.
        "kinds": [(kind.label, by_kind.get(kind.value, 0)) for kind in ConnectionKind],
    }


def initiatives_acting_for(user) -> QuerySet:
    """The initiatives the user may speak for (the rule of permissions.can_act_for_initiative),
    as one query: the lead organization's active editors and admins, and the secretariat."""
    if not user.is_authenticated:
        return Initiative.objects.none()
    if is_secretariat(user):
        return Initiative.objects.order_by("title", "pk")
    return (
        Initiative.objects.filter(
            lead_organization__memberships__user=user,
            lead_organization__memberships__status=MembershipStatus.ACTIVE,
            lead_organization__memberships__role__in=[MembershipRole.EDITOR, MembershipRole.ADMIN],
        )
        .distinct()
        .order_by("title", "pk")
    )


def connection_sources(user, target: Initiative) -> QuerySet:
    """The initiatives the user may ask to connect with the target: public ones they act for
    (a request from an initiative the other team cannot see would lead nowhere)."""
    return initiatives_acting_for(user).filter(status__in=PUBLIC_STATUSES).exclude(pk=target.pk)


def requests_sent(initiative: Initiative) -> QuerySet:
    """Requests this initiative sent, still waiting for the other side."""
    return Connection.objects.filter(
        source=initiative, status=ConnectionStatus.REQUESTED
    ).select_related("target")


# The related initiatives' list belongs to related.py; the panel falls back to a plain list
# while that partial is missing.
RELATED_LIST_TEMPLATES = [
    "network/partials/related_list.html",
    "network/partials/_related_plain.html",
]


def initiative_panel(user, initiative: Initiative) -> dict:
    """What the HUB page shows of the network: related initiatives, connections, requests
    waiting for the team (and those it sent), offers and needs. A fixed number of queries."""
    from .permissions import can_act_for_initiative
    from .related import described

    can_act = can_act_for_initiative(user, initiative)
    items = list(exchange_items(initiative))
    return {
        # With their reasons in words, as the related page shows them.
        "related": described(related_to(initiative, limit=5)),
        "related_templates": RELATED_LIST_TEMPLATES,
        "connections": list(connections_of(initiative)),
        "waiting": list(requests_waiting(initiative)) if can_act else [],
        "sent": list(requests_sent(initiative)) if can_act else [],
        "items": items,
        "offers": [item for item in items if item.side == ExchangeSide.OFFER],
        "needs": [item for item in items if item.side == ExchangeSide.NEED],
        "can_act": can_act,
        "can_connect": connection_sources(user, initiative).exists()
        if user.is_authenticated and initiative.is_public
        else False,
    }
