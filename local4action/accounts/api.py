from django.core.paginator import Paginator
from ninja import Query, Router, Schema

from . import selectors

router = Router(tags=["Organizations"])


class OrganizationRef(Schema):
    """A short reference to an organization, used inside other resources."""

    slug: str
    name: str
    country: str

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.country.code


class OrganizationOut(Schema):
    slug: str
    name: str
    kind: str
    country: str
    regional_section: str | None
    population: int | None
    latitude: float | None
    longitude: float | None
    website: str

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.country.code

    @staticmethod
    def resolve_regional_section(obj) -> str | None:
        return obj.regional_section.slug if obj.regional_section_id else None


class OrganizationFilters(Schema):
    q: str = ""
    kind: str = ""
    section: str = ""
    page: int = 1


class OrganizationPage(Schema):
    count: int
    page: int
    pages: int
    results: list[OrganizationOut]


@router.get("/organizations", response=OrganizationPage, summary="Approved organizations")
def organizations(request, filters: Query[OrganizationFilters]):
    queryset = selectors.organization_list(
        user=request.user, q=filters.q, kind=filters.kind, section=filters.section
    )
    paginator = Paginator(queryset, 50)
    page = paginator.get_page(filters.page)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "results": list(page.object_list),
    }


@router.get("/organizations/{slug}", response=OrganizationOut)
def organization(request, slug: str):
    return selectors.organization_get(user=request.user, slug=slug)
