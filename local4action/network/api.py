"""The network under /api/v1/: an initiative's related initiatives (with the reasons), its
connections, and connection requests with their answers.

Related initiatives are precomputed in the background; reading them is one indexed query.
Initiatives follow their own visibility (drafts are 404 except for their team and the
secretariat). Every write goes through the services, which say what is refused (400 with their
messages: an initiative connecting with itself, a pair already connected or waiting…) and who
is (403: only an initiative's team speaks for it)."""

import datetime
from typing import Any

from django.core.paginator import Paginator
from ninja import Field, Query, Router, Schema, Status

from local4action.api.auth import AUTHENTICATED, request_user
from local4action.calls.api import Problem
from local4action.initiatives import selectors as initiative_selectors

from . import selectors, services
from .choices import ConnectionKind, ConnectionStatus, Reason
from .models import Connection
from .permissions import can_act_for_initiative

router = Router(tags=["Network"])
# OpenAPI names each schema by its class name, and a second class of the same name in another
# app silently replaces the first: hence `Network…` everywhere here.

PER_PAGE = 50
RELATED_MAX = 20


def _clean(value: str) -> str:
    """PostgreSQL stores no NUL character."""
    return str(value or "").replace("\x00", "")


# Schemas -------------------------------------------------------------------------------------


class NetworkInitiativeRef(Schema):
    slug: str
    title: str
    status: str
    organization: str
    url: str

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.lead_organization.name

    @staticmethod
    def resolve_url(obj, context) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class NetworkReasonOut(Schema):
    code: str = Field(description=f"One of: {', '.join(Reason.values)}.")
    label: str = Field(description="In the caller's language.")
    value: Any = Field(
        description="`text`: the similarity of the descriptions (0–1); `targets`: the shared "
        "SDG target codes; `goals`: the shared SDG numbers; `policy_areas`: the shared policy "
        "area ids; `region` and `organization_kind`: true."
    )


class NetworkRelatedOut(Schema):
    initiative: NetworkInitiativeRef
    score: float = Field(description="0–1: the higher, the closer.")
    reasons: list[NetworkReasonOut]

    @staticmethod
    def resolve_initiative(obj):
        return obj.other

    @staticmethod
    def resolve_reasons(obj) -> list[dict]:
        reasons = []
        for code in Reason.values:
            value = obj.reasons.get(code)
            if code == Reason.TEXT and not value:
                continue
            if value:
                reasons.append({"code": code, "label": str(Reason(code).label), "value": value})
        return reasons


class NetworkConnectionOut(Schema):
    id: int
    source: NetworkInitiativeRef
    target: NetworkInitiativeRef
    kind: str = Field(description=f"One of: {', '.join(ConnectionKind.values)}.")
    status: str = Field(description=f"One of: {', '.join(ConnectionStatus.values)}.")
    message: str
    created_at: datetime.datetime
    decided_at: datetime.datetime | None


class NetworkConnectionPage(Schema):
    count: int
    page: int
    pages: int
    results: list[NetworkConnectionOut]


class NetworkRelatedFilters(Schema):
    limit: int = Field(10, ge=1, le=RELATED_MAX)


class NetworkConnectionFilters(Schema):
    page: int = 1


class NetworkConnectionIn(Schema):
    source: str = Field(description="The slug of the initiative asking (the caller's team's).")
    target: str = Field(description="The slug of the initiative asked.")
    kind: str = Field(description=f"One of: {', '.join(ConnectionKind.values)}.")
    message: str = Field("", description="Plain text, up to 2,000 characters.")


# Helpers -------------------------------------------------------------------------------------


def _initiative(request, slug: str):
    return initiative_selectors.initiative_get(user=request_user(request), slug=slug)


def _connection(request, pk: int) -> Connection:
    return selectors.connection_get(request_user(request), pk)


def _out(connection: Connection) -> Connection:
    return Connection.objects.select_related(
        "source__lead_organization", "target__lead_organization"
    ).get(pk=connection.pk)


# Endpoints -----------------------------------------------------------------------------------


@router.get(
    "/initiatives/{slug}/related",
    response=list[NetworkRelatedOut],
    summary="Related initiatives",
    description="The initiative's closest public neighbours, best first, with the reasons "
    "(similar description across English, French and Spanish, shared SDG targets, SDGs and "
    f"policy areas, same region or kind of organization). At most {RELATED_MAX} (`limit`).",
)
def related(request, slug: str, filters: Query[NetworkRelatedFilters]):
    initiative = _initiative(request, slug)
    return selectors.related_to(initiative, limit=filters.limit)


@router.get(
    "/initiatives/{slug}/connections",
    response=NetworkConnectionPage,
    summary="The connections of an initiative",
    description="Accepted connections, latest first. The initiative's team and the secretariat "
    f"also see the requests waiting for an answer, in both directions. {PER_PAGE} per page.",
)
def connections(request, slug: str, filters: Query[NetworkConnectionFilters]):
    initiative = _initiative(request, slug)
    statuses = [ConnectionStatus.ACCEPTED]
    if can_act_for_initiative(request_user(request), initiative):
        statuses.append(ConnectionStatus.REQUESTED)
    found = selectors.connections_of(initiative, statuses=statuses).select_related(
        "source__lead_organization", "target__lead_organization"
    )
    paginator = Paginator(found, PER_PAGE)
    page = paginator.get_page(filters.page)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "results": list(page.object_list),
    }


@router.post(
    "/connections",
    response={201: NetworkConnectionOut, 400: Problem, 403: Problem, 404: Problem},
    auth=AUTHENTICATED,
    summary="Ask another initiative to connect",
    description="The source's team asks; the target's team is notified and answers. One open "
    "request or connection per pair, whichever side asked. 400: an initiative connecting "
    "with itself, a pair already connected or waiting, an unknown kind, a message too long.",
)
def connection_request(request, body: NetworkConnectionIn):
    source = _initiative(request, _clean(body.source))
    target = _initiative(request, _clean(body.target))
    connection = services.connection_request(
        actor=request.auth,
        source=source,
        target=target,
        kind=_clean(body.kind),
        message=_clean(body.message),
    )
    return Status(201, _out(connection))


def _decide(request, pk: int, accept: bool):
    connection = services.connection_decide(
        actor=request.auth, connection=_connection(request, pk), accept=accept
    )
    return Status(200, _out(connection))


@router.post(
    "/connections/{id}/accept",
    response={200: NetworkConnectionOut, 400: Problem, 403: Problem},
    auth=AUTHENTICATED,
    summary="Accept a connection request",
    description="The target's team. 400 when the request has already been answered.",
)
def connection_accept(request, id: int):
    return _decide(request, id, True)


@router.post(
    "/connections/{id}/decline",
    response={200: NetworkConnectionOut, 400: Problem, 403: Problem},
    auth=AUTHENTICATED,
    summary="Decline a connection request",
    description="The target's team. 400 when the request has already been answered.",
)
def connection_decline(request, id: int):
    return _decide(request, id, False)


@router.post(
    "/connections/{id}/withdraw",
    response={200: NetworkConnectionOut, 400: Problem, 403: Problem},
    auth=AUTHENTICATED,
    summary="Withdraw a request, or end a connection",
    description="The source's team withdraws its waiting request; either team may end an "
    "accepted connection. 400 when it is no longer active.",
)
def connection_withdraw(request, id: int):
    connection = services.connection_withdraw(
        actor=request.auth, connection=_connection(request, id)
    )
    return Status(200, _out(connection))
