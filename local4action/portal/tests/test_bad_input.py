"""Bad input on the public portal (map, open data, newsletter, pictures, embeds): a clear
message or a plain 404, never a 500, and nothing changes in the database."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from local4action.portal.models import Newsletter, Subscriber
from local4action.portal.tests.test_newsletter import _items

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("key", ["³", "abc", "-1", "1.5", "9" * 19, "9" * 5000, "0"])
def test_an_odd_initiative_key_on_the_map_is_not_found(client, key):
    # When a map popup asks for an initiative whose key is not a plain id
    response = client.get(reverse("portal:map_initiative", args=[key]))
    # Then the answer is a plain 404, not an error page
    assert response.status_code == 404


@pytest.mark.parametrize(
    "query",
    ["page=-1", f"page={10**20}", "page=³", "sdg=³", "sdg=" + "9" * 5000, "region=-1", "foo=bar"],
)
def test_odd_map_parameters_are_left_aside(client, query):
    assert client.get("/map/?" + query).status_code == 200
    assert client.get("/map/points.json?" + query).status_code == 200


@pytest.mark.parametrize(
    "params", [{"sdg": "³"}, {"sdg": "9" * 5000}, {"page": str(10**20)}, {"region": "<b>"}]
)
def test_odd_open_data_parameters_still_give_a_file(client, params):
    for url in ("/data/initiatives.csv", "/data/initiatives.json", "/data/initiatives.geojson"):
        assert client.get(url, params).status_code == 200


@pytest.mark.parametrize("field", ["initiatives", "events", "results"])
@pytest.mark.parametrize("value", ["³", "9" * 5000, str(10**20), "-1", "abc"])
def test_odd_chosen_items_in_a_newsletter_are_refused_not_an_error(
    client, secretariat, field, value
):
    # Given the secretariat composing a newsletter from real items
    hub, event, result = _items()
    client.force_login(secretariat)
    data = {
        "subject_en": "News of the HUBs",
        "intro_en": "Hello readers.",
        "initiatives": [hub.pk],
        "events": [event.pk],
        "results": [result.pk],
    }
    # When one chosen item is not a plain id of an item
    data[field] = [value]
    response = client.post(reverse("portal:newsletter_create"), data)
    # Then the form comes back or saves only the real choices: never an error page, never a
    # newsletter holding the odd value
    assert response.status_code in (200, 302)
    for newsletter in Newsletter.objects.all():
        assert getattr(newsletter, field).count() == 0


def test_an_over_long_newsletter_introduction_is_refused(client, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("portal:newsletter_create"),
        {"subject_en": "News", "intro_en": "i" * 100_000},
    )
    assert response.status_code == 200
    assert "An introduction may be at most" in response.content.decode()
    assert not Newsletter.objects.exists()


@pytest.mark.parametrize("email", ["  ", "<script>@x.org", "a@b.c\nBcc: x@y.org"])
def test_odd_emails_are_refused_and_nothing_is_sent(client, email):
    response = client.post(reverse("portal:subscribe"), {"email": email, "language": "en"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Subscriber.objects.exists() and not mail.outbox


def test_an_unknown_language_is_refused_and_nothing_is_saved(client):
    response = client.post(
        reverse("portal:subscribe"), {"email": "reader@example.org", "language": "de"}
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Subscriber.objects.exists() and not mail.outbox


def test_the_subscription_message_is_in_french_for_a_french_visitor(client):
    response = client.post(
        reverse("portal:subscribe"),
        {"email": "not-an-email", "language": "fr"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 200
    assert "Veuillez indiquer une adresse e-mail valide" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_subscribing_without_the_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("portal:subscribe"), {"email": "reader@example.org", "language": "en"}
    )
    assert response.status_code == 403
    assert not Subscriber.objects.exists() and not mail.outbox


@pytest.mark.parametrize("token", ["x" * 5000, "<b>", "%00"])
def test_garbage_newsletter_tokens_are_a_clear_message(client, token):
    for name in ("portal:confirm", "portal:unsubscribe"):
        response = client.get(reverse(name, args=[token]))
        assert response.status_code in (200, 400, 404)
        assert response.status_code != 500


@pytest.mark.parametrize("pk", [999999, 10**20])
def test_unknown_newsletters_are_not_found(client, secretariat, pk):
    client.force_login(secretariat)
    assert client.get(reverse("portal:newsletter", args=[pk])).status_code == 404


@pytest.mark.parametrize("query", ["lang=xx", "lang=" + "f" * 500, "page=-1", "utm_source=x"])
def test_odd_parameters_on_public_pages_are_ignored(client, query):
    for url in ("/", "/pictures/", "/sdg/coverage/", "/data/"):
        assert client.get(f"{url}?{query}").status_code == 200
