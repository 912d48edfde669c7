"""Sitemap, robots.txt, canonical addresses, hreflang alternates and ?lang=xx."""

from local4action.accounts.tests.factories import UserFactory
from local4action.events.tests.factories import make_event
from local4action.monitoring.tests.factories import make_hub


def test_sitemap_lists_public_pages_only(client, db):
    hub, _editor = make_hub(title="Public HUB")
    accompanied, _editor = make_hub(status="accompanied")
    draft, _editor = make_hub(status="draft")
    submitted, _editor = make_hub(status="submitted")
    event = make_event()
    members_event = make_event(visibility="members")
    unpublished = make_event(published=False)

    response = client.get("/sitemap.xml")

    content = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    for path in ("/", "/initiatives/", "/map/", "/sdg/", "/sdg/coverage/", "/sdg/11/"):
        assert f"<loc>http://testserver{path}</loc>" in content
    assert f"<loc>http://testserver{hub.get_absolute_url()}</loc>" in content
    assert f"<loc>http://testserver{accompanied.get_absolute_url()}</loc>" in content
    assert draft.get_absolute_url() not in content
    assert submitted.get_absolute_url() not in content
    assert f"<loc>http://testserver{event.get_absolute_url()}</loc>" in content
    assert members_event.get_absolute_url() not in content
    assert unpublished.get_absolute_url() not in content


def test_robots_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")

    content = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in content
    assert "Disallow: /manage/" in content


def test_every_page_has_a_canonical_and_hreflang_alternates(client, db):
    for url in ("/", "/sdg/", "/sdg/5/", "/initiatives/?page=2&q=air"):
        content = client.get(url).content.decode()
        path = url.split("?")[0]
        assert f'<link rel="canonical" href="http://testserver{path}">' in content
        for code in ("en", "fr", "es"):
            assert (
                f'<link rel="alternate" hreflang="{code}" href="http://testserver{path}?lang={code}">'
                in content
            )
        assert (
            f'<link rel="alternate" hreflang="x-default" href="http://testserver{path}">' in content
        )


def test_lang_parameter_renders_the_page_in_that_language(client, db):
    response = client.get("/sdg/5/?lang=es", HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert '<html lang="es"' in content
    assert "Igualdad de Género" in content
    assert '<link rel="canonical" href="http://testserver/sdg/5/?lang=es">' in content
    # Only this request: nothing is remembered.
    assert '<html lang="en"' in client.get("/sdg/5/").content.decode()


def test_lang_parameter_wins_over_a_signed_in_person_profile(client, db):
    client.force_login(UserFactory(language="fr"))

    content = client.get("/?lang=es").content.decode()

    assert '<html lang="es"' in content


def test_a_bad_lang_value_is_ignored(client, db):
    for value in ("de", "xx", "<script>", "es-ES'", ""):
        response = client.get("/sdg/5/", {"lang": value}, HTTP_ACCEPT_LANGUAGE="fr")
        content = response.content.decode()
        assert response.status_code == 200
        assert '<html lang="fr"' in content
        assert '<link rel="canonical" href="http://testserver/sdg/5/">' in content


def test_goal_page_has_its_open_graph_card(client, db):
    content = client.get("/sdg/11/").content.decode()

    assert '<meta property="og:title" content="Goal 11: Sustainable cities and communities">' in (
        content
    )
    assert '<meta property="og:url" content="http://testserver/sdg/11/">' in content
