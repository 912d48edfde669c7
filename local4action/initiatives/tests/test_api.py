import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from local4action.accounts.tests.factories import MembershipFactory, OrganizationFactory
from local4action.core.models import Goal, PolicyArea, Target
from local4action.core.testing import bearer
from local4action.initiatives import services
from local4action.initiatives.choices import InitiativeStatus

URL = "/api/v1/initiatives"


def make_initiative(title, status=InitiativeStatus.LABELLED, organization=None, **data):
    organization = organization or OrganizationFactory()
    initiative = services.initiative_create_draft(
        actor=None, organization=organization, title=title, language="en"
    )
    services.initiative_update(
        initiative=initiative,
        data={"summary": f"What {title} does.", **data},
    )
    if status != InitiativeStatus.DRAFT:
        services.initiative_set_status(actor=None, initiative=initiative, status=status)
    return initiative


def test_public_list_shows_only_hubs_and_accompanied_initiatives(client, db):
    make_initiative("Bilbao, city of values")
    make_initiative("Participation for all", status=InitiativeStatus.ACCOMPANIED)
    make_initiative("A draft", status=InitiativeStatus.DRAFT)
    make_initiative("Under review", status=InitiativeStatus.SUBMITTED)
    make_initiative("Not this time", status=InitiativeStatus.DECLINED)

    data = client.get(URL).json()

    assert data["count"] == 2
    assert {i["title"]: i["status"] for i in data["results"]} == {
        "Bilbao, city of values": "labelled",
        "Participation for all": "accompanied",
    }


def test_public_list_filters_by_status_and_title(client, db):
    make_initiative("Bilbao, city of values")
    make_initiative("Venice City Solutions 2030")
    make_initiative("Participation for all", status=InitiativeStatus.ACCOMPANIED)

    accompanied = client.get(URL, {"status": "accompanied"}).json()
    venice = client.get(URL, {"q": "venice"}).json()

    assert [i["title"] for i in accompanied["results"]] == ["Participation for all"]
    assert [i["title"] for i in venice["results"]] == ["Venice City Solutions 2030"]


def test_asking_for_unpublished_statuses_shows_no_unpublished_initiative(client, db):
    # As on the catalogue page, a status that is not public is left aside: drafts never show.
    make_initiative("A draft", status=InitiativeStatus.DRAFT)
    make_initiative("Bilbao, city of values")

    response = client.get(URL, {"status": "draft"})

    assert response.status_code == 200
    assert [i["title"] for i in response.json()["results"]] == ["Bilbao, city of values"]


def test_an_initiative_carries_its_public_facts(client, db):
    organization = OrganizationFactory(name="City of Bilbao", slug="bilbao", country="ES")
    area = PolicyArea.objects.order_by("pk").first()
    make_initiative(
        "Bilbao, city of values",
        organization=organization,
        scale="local",
        start_date=datetime.date(2021, 1, 1),
        end_date=datetime.date(2023, 12, 31),
        website="https://www.bilbao.eus/",
        goals=list(Goal.objects.filter(number__in=[11, 16])),
        targets=list(Target.objects.filter(code__in=["11.3", "16.7"])),
        policy_areas=[area],
        locations=[{"name": "Bilbao", "latitude": "43.26271", "longitude": "-2.92528"}],
        translations={"es": {"title": "Bilbao, ciudad de valores", "summary": "Valores."}},
    )

    data = client.get(f"{URL}/bilbao-city-of-values").json()

    assert data["lead_organization"] == {
        "slug": "bilbao",
        "name": "City of Bilbao",
        "country": "ES",
    }
    assert data["goals"] == [11, 16]
    assert data["targets"] == ["11.3", "16.7"]
    assert data["policy_areas"] == [area.slug]
    assert data["translations"] == {
        "es": {"title": "Bilbao, ciudad de valores", "summary": "Valores."}
    }
    assert data["locations"] == [{"name": "Bilbao", "lat": 43.26271, "lon": -2.92528}]
    assert (data["start_date"], data["end_date"]) == ("2021-01-01", "2023-12-31")
    assert data["labelled_at"] is not None
    assert data["url"] == "http://testserver/initiatives/bilbao-city-of-values/"
    assert data["language"] == "en" and data["scale"] == "local"


def test_a_draft_is_found_only_by_those_who_may_see_it(client, organization, secretariat):
    make_initiative("Our next idea", status=InitiativeStatus.DRAFT, organization=organization)
    member = MembershipFactory(organization=organization).user
    outsider = MembershipFactory().user
    url = f"{URL}/our-next-idea"

    assert client.get(url).status_code == 404
    assert client.get(url, **bearer(outsider)).status_code == 404
    assert client.get(url, **bearer(member)).json()["status"] == "draft"
    assert client.get(url, **bearer(secretariat)).status_code == 200
    client.force_login(member)
    assert client.get(url).status_code == 200


def test_the_list_costs_the_same_queries_for_few_or_many_rows(client, db):
    def add(n):
        for _ in range(n):
            make_initiative(
                "HUB",
                goals=list(Goal.objects.filter(number__in=[5, 11])),
                targets=list(Target.objects.filter(code="11.3")),
                locations=[{"name": "Somewhere", "latitude": "1", "longitude": "2"}],
            )

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    add(2)
    few = count()
    add(10)
    assert count() == few
