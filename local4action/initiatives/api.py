import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view

from local4action.accounts.api import OrganizationRef
from local4action.api.auth import request_user
from local4action.core.catalogues import api_page
from local4action.core.pagecache import public_page

from . import selectors
from .choices import InitiativeStatus

router = Router(tags=["Initiatives"])

PAGE_SIZE = 50


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
    """The catalogue's parameters, as on the page /initiatives/: facets are repeatable
    (`?sdg=11&sdg=5`); values that are unknown are left aside, as on the page."""

    q: str = Field("", description="Words to search in titles and summaries, in any language.")
    sdg: list[str] = Field([], description="Goal numbers, 1 to 17.")
    region: list[str] = Field([], description="Regional sections, by identifier.")
    country: list[str] = Field([], description="Countries of the lead organization (ISO 3166-1).")
    status: list[str] = Field(
        [], description="`labelled`, `accompanied` or `completed`; others are left aside."
    )
    kind: list[str] = Field([], description="Kinds of the lead organization.")
    area: list[str] = Field([], description="Policy areas, by identifier.")
    year: list[str] = Field([], description="Years the label was granted.")
    sort: Literal["relevance", "newest", "title"] = "relevance"
    page: int = Field(1, description="Beyond the last page, the last page is returned.")


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
        "The parameters are those of the catalogue page: `q` searches titles and summaries "
        "in every language (accent-insensitive, stemmed in English, French and Spanish); "
        "`sdg`, `region`, `country`, `status`, `kind`, `area` and `year` filter and may be "
        "repeated. 50 per page. Answers carry an ETag: send it back in If-None-Match to get "
        "304 Not Modified when nothing changed."
    ),
)
@decorate_view(public_page(selectors.data_version))
def initiatives(request, filters: Query[InitiativeFilters]):
    # The parameters are read as the catalogue page reads them, so both give the same results
    # in the same order; the schema above documents them.
    query = selectors.Catalogue.from_params(request.GET)
    queryset = selectors.catalogue(query).prefetch_related("targets", "policy_areas")
    return api_page(queryset, filters.page, PAGE_SIZE)


@router.get(
    "/initiatives/{slug}",
    response=InitiativeOut,
    summary="One initiative",
    description="Drafts and other unpublished initiatives are visible only to their team and "
    "the secretariat (with a token); to anybody else they do not exist (404).",
)
def initiative(request, slug: str):
    return selectors.initiative_get(user=request_user(request), slug=slug)
