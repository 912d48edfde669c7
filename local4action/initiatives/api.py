import datetime
from typing import Literal

from django.core.paginator import Paginator
from ninja import Query, Router, Schema

from local4action.accounts.api import OrganizationRef
from local4action.api.auth import request_user

from . import selectors
from .choices import InitiativeStatus

router = Router(tags=["Initiatives"])

PublicStatus = Literal["", "labelled", "accompanied", "completed"]


class TranslationOut(Schema):
    title: str
    summary: str


class LocationOut(Schema):
    name: str
    lat: float
    lon: float

    @staticmethod
    def resolve_lat(obj) -> float:
        return float(obj.latitude)

    @staticmethod
    def resolve_lon(obj) -> float:
        return float(obj.longitude)


class InitiativeOut(Schema):
    slug: str
    title: str
    summary: str
    language: str
    translations: dict[str, TranslationOut]
    lead_organization: OrganizationRef
    goals: list[int]
    targets: list[str]
    policy_areas: list[str]
    scale: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    website: str
    status: str
    labelled_at: datetime.datetime | None
    locations: list[LocationOut]
    url: str

    # Read through .all() so the selector's prefetches serve every row.
    @staticmethod
    def resolve_translations(obj) -> dict:
        return {
            t.language: {"title": t.title, "summary": t.summary} for t in obj.translations.all()
        }

    @staticmethod
    def resolve_goals(obj) -> list[int]:
        return [goal.number for goal in obj.goals.all()]

    @staticmethod
    def resolve_targets(obj) -> list[str]:
        return [target.code for target in obj.targets.all()]

    @staticmethod
    def resolve_policy_areas(obj) -> list[str]:
        return [area.slug for area in obj.policy_areas.all()]

    @staticmethod
    def resolve_locations(obj) -> list:
        return list(obj.locations.all())

    @staticmethod
    def resolve_url(obj, context) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class InitiativeFilters(Schema):
    status: PublicStatus = ""
    q: str = ""
    page: int = 1


class InitiativePage(Schema):
    count: int
    page: int
    pages: int
    results: list[InitiativeOut]


@router.get(
    "/initiatives",
    response=InitiativePage,
    summary="Labelled HUBs and accompanied initiatives",
    description=(
        f"Public initiatives only: `{InitiativeStatus.LABELLED}`, "
        f"`{InitiativeStatus.ACCOMPANIED}` and `{InitiativeStatus.COMPLETED}`. "
        "`q` searches the title and its translations. 50 per page."
    ),
)
def initiatives(request, filters: Query[InitiativeFilters]):
    queryset = selectors.public_initiative_list(status=filters.status, q=filters.q)
    paginator = Paginator(queryset, 50)
    page = paginator.get_page(filters.page)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "results": list(page.object_list),
    }


@router.get(
    "/initiatives/{slug}",
    response=InitiativeOut,
    summary="One initiative",
    description="Drafts and other unpublished initiatives are visible only to their team and "
    "the secretariat (with a token); to anybody else they do not exist (404).",
)
def initiative(request, slug: str):
    return selectors.initiative_get(user=request_user(request), slug=slug)
