from local4action.accounts.tests.factories import OrganizationFactory


def test_api_lists_only_approved_organizations(client, db):
    OrganizationFactory(name="Approved town")
    OrganizationFactory(name="Pending town", status="pending")
    data = client.get("/api/v1/organizations").json()
    assert data["count"] == 1
    assert data["results"][0]["name"] == "Approved town"
    assert data["results"][0]["country"] == "FR"


def test_api_filters_organizations(client, db):
    OrganizationFactory(name="Region of Tuscany", kind="regional_government")
    OrganizationFactory(name="Town of Lucca")
    data = client.get("/api/v1/organizations", {"kind": "regional_government"}).json()
    assert [o["name"] for o in data["results"]] == ["Region of Tuscany"]


def test_api_goals_follow_the_request_language(client, db):
    goals = client.get("/api/v1/sdg/goals", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert len(goals) == 17
    assert goals[0]["short"] == "Pas de pauvreté"
    goal = client.get("/api/v1/sdg/goals/11").json()
    assert goal["targets"][0]["code"] == "11.1"
    assert goal["targets"][0]["indicators"][0]["code"] == "11.1.1"


def test_openapi_document_is_published(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/organizations" in schema["paths"]
    assert "/api/v1/sdg/goals" in schema["paths"]


def test_unknown_goal_is_a_json_404(client, db):
    response = client.get("/api/v1/sdg/goals/42")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
