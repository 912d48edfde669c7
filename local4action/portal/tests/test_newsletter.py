"""The newsletter: double opt-in, one-click unsubscribe, staff compose, preview and send once."""

import datetime

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from local4action.events.tests.factories import make_event
from local4action.initiatives.models import InitiativeTranslation
from local4action.monitoring.models import Deliverable
from local4action.monitoring.tests.factories import make_hub
from local4action.portal import services
from local4action.portal.models import Delivery, Newsletter, Subscriber
from local4action.portal.tasks import newsletter_deliver

pytestmark = pytest.mark.django_db


def _link(message, name):
    """The path of the first link to `name` ("confirm" or "unsubscribe") in an email."""
    for word in message.body.split():
        if f"/newsletter/{name}/" in word:
            return word[word.index("/newsletter/") :]
    raise AssertionError(f"no {name} link in {message.body!r}")


def _subscribed(email="reader@example.org", language="en") -> Subscriber:
    subscriber = Subscriber.objects.create(
        email=email, language=language, confirmed_at=timezone.now()
    )
    return subscriber


def _messages(response):
    return [str(m) for m in response.context["messages"]]


# Subscribing -------------------------------------------------------------------------------------


def test_subscribing_sends_a_confirmation_link_and_nothing_else(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:subscribe"),
            {"email": " Reader@Example.org ", "language": "fr"},
            follow=True,
        )

    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@example.org"
    assert subscriber.language == "fr"
    assert subscriber.confirmed_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["reader@example.org"]
    assert "/newsletter/confirm/" in mail.outbox[0].body
    assert "Almost done" in " ".join(_messages(response))


@pytest.mark.parametrize("email", ["not-an-email", "", "a@b", "x" * 300 + "@example.org"])
def test_bad_email_is_refused_with_a_message(client, email):
    response = client.post(reverse("portal:subscribe"), {"email": email, "language": "en"})

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert "email address" in response.context["form"].errors["email"][0]
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_service_refuses_unknown_language():
    with pytest.raises(ValidationError):
        services.subscriber_subscribe(email="reader@example.org", language="de")
    assert not Subscriber.objects.exists()


def test_subscribing_again_when_confirmed_sends_nothing(client, django_capture_on_commit_callbacks):
    _subscribed()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:subscribe"),
            {"email": "reader@example.org", "language": "es"},
            follow=True,
        )

    assert not mail.outbox
    assert "already subscribed" in " ".join(_messages(response))
    assert Subscriber.objects.get().language == "es"


# Confirming ---------------------------------------------------------------------------------------


def test_confirm_link_confirms_once(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.subscriber_subscribe(email="reader@example.org", language="en")
    link = _link(mail.outbox[0], "confirm")

    page = client.get(link)  # opening the link (or a mail scanner fetching it) changes nothing
    assert page.status_code == 200
    assert Subscriber.objects.get().confirmed_at is None

    response = client.post(link)
    assert "subscription is confirmed" in response.content.decode()
    confirmed_at = Subscriber.objects.get().confirmed_at
    assert confirmed_at is not None

    again = client.post(link)
    assert "already confirmed" in " ".join(_messages(again))
    assert Subscriber.objects.get().confirmed_at == confirmed_at


@pytest.mark.parametrize("token", ["nonsense", "abc:def:ghi"])
def test_unknown_confirm_token_is_a_clear_message(client, token):
    response = client.post(reverse("portal:confirm", args=[token]))

    # a refusal (not found), with words saying why
    assert response.status_code == 404
    assert "not valid" in " ".join(_messages(response))


def test_expired_confirm_token_is_refused(client):
    subscriber = Subscriber.objects.create(email="reader@example.org")
    token = services.confirm_token(subscriber)
    later = datetime.timedelta(days=8).total_seconds()

    with pytest.raises(ValidationError, match="expired"):
        signing_time = signing.time.time
        signing.time.time = lambda: signing_time() + later
        try:
            assert client.post(reverse("portal:confirm", args=[token])).status_code == 410
            services.subscriber_confirm(token=token)
        finally:
            signing.time.time = signing_time
    assert Subscriber.objects.get().confirmed_at is None


def test_unsubscribe_token_does_not_confirm(client):
    subscriber = Subscriber.objects.create(email="reader@example.org")

    response = client.post(reverse("portal:confirm", args=[services.unsubscribe_token(subscriber)]))

    assert response.status_code == 404
    assert "not valid" in " ".join(_messages(response))
    assert Subscriber.objects.get().confirmed_at is None


# Unsubscribing ------------------------------------------------------------------------------------


def test_unsubscribe_deletes_the_address_and_twice_says_so(client):
    subscriber = _subscribed()
    link = reverse("portal:unsubscribe", args=[services.unsubscribe_token(subscriber)])

    assert client.get(link).status_code == 200
    assert Subscriber.objects.exists()

    response = client.post(link)  # no CSRF token: mail clients post here (RFC 8058)
    assert "is unsubscribed" in response.content.decode()
    assert not Subscriber.objects.exists()

    again = client.post(link)
    assert "not subscribed any more" in " ".join(_messages(again))


def test_one_click_post_from_mail_client_works_without_csrf():
    from django.test import Client

    subscriber = _subscribed()
    client = Client(enforce_csrf_checks=True)

    client.post(
        reverse("portal:unsubscribe", args=[services.unsubscribe_token(subscriber)]),
        {"List-Unsubscribe": "One-Click"},
    )

    assert not Subscriber.objects.exists()


# Composing ----------------------------------------------------------------------------------------


def _items():
    hub, _editor = make_hub(title="Participation for all")
    InitiativeTranslation.objects.create(
        initiative=hub, language="fr", title="La participation pour tous"
    )
    event = make_event(title="Localizing the SDGs in Barcelona")
    result = Deliverable.objects.create(
        initiative=hub,
        title="Citizens' assembly held",
        due_date=timezone.localdate(),
        status="delivered",
        delivered_on=timezone.localdate(),
    )
    return hub, event, result


def _compose(actor, hub, event, result, **changes):
    data = {
        "subjects": {"en": "News of the HUBs", "fr": "Nouvelles des HUBs"},
        "intros": {"en": "Hello readers.", "fr": "Bonjour à toutes et tous."},
        "initiative_ids": [hub.pk],
        "event_ids": [event.pk],
        "result_ids": [result.pk],
        **changes,
    }
    return services.newsletter_create(actor=actor, **data)


def test_only_the_secretariat_composes(client, user):
    hub, event, result = _items()
    client.force_login(user)

    assert client.get(reverse("portal:newsletters")).status_code == 403
    assert client.get(reverse("portal:newsletter_create")).status_code == 403
    with pytest.raises(PermissionDenied):
        _compose(user, hub, event, result)
    assert not Newsletter.objects.exists()


def test_staff_compose_from_recent_items_and_preview_each_language(client, secretariat):
    hub, event, result = _items()
    client.force_login(secretariat)
    form = client.get(reverse("portal:newsletter_create"))
    assert "Participation for all" in form.content.decode()
    assert "Citizens&#x27; assembly held" in form.content.decode()

    response = client.post(
        reverse("portal:newsletter_create"),
        {
            "subject_en": "News of the HUBs",
            "intro_en": "Hello readers.",
            "subject_fr": "Nouvelles des HUBs",
            "intro_fr": "Bonjour.",
            "initiatives": [hub.pk],
            "events": [event.pk],
            "results": [result.pk],
        },
    )

    newsletter = Newsletter.objects.get()
    assert response.status_code == 302
    assert list(newsletter.initiatives.all()) == [hub]
    english = client.get(newsletter.get_absolute_url()).content.decode()
    assert "Hello readers." in english and "Participation for all" in english
    french = client.get(newsletter.get_absolute_url() + "?lang=fr").content.decode()
    assert "Bonjour." in french and "La participation pour tous" in french
    spanish = client.get(newsletter.get_absolute_url() + "?lang=es").content.decode()
    assert "Hello readers." in spanish  # falls back to English


def test_compose_requires_english_subject_and_intro(client, secretariat):
    client.force_login(secretariat)

    response = client.post(reverse("portal:newsletter_create"), {"subject_fr": "Nouvelles"})

    assert response.status_code == 200
    text = " ".join(_messages(response))
    assert "subject in English" in text and "introduction in English" in text
    assert not Newsletter.objects.exists()


def test_compose_refuses_items_that_are_not_public(secretariat):
    hub, event, result = _items()
    draft, _editor = make_hub(title="Draft", status="draft")

    with pytest.raises(ValidationError):
        _compose(secretariat, hub, event, result, initiative_ids=[draft.pk])
    assert not Newsletter.objects.exists()


# Sending ------------------------------------------------------------------------------------------


def test_send_reaches_confirmed_subscribers_once_in_their_language(
    client, secretariat, django_capture_on_commit_callbacks
):
    hub, event, result = _items()
    newsletter = _compose(secretariat, hub, event, result)
    english = _subscribed("en@example.org", "en")
    _subscribed("fr@example.org", "fr")
    Subscriber.objects.create(email="pending@example.org")  # never confirmed
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(newsletter.get_absolute_url(), follow=True)

    assert "being sent" in " ".join(_messages(response))
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"en@example.org", "fr@example.org"}
    assert by_address["fr@example.org"].subject == "Nouvelles des HUBs"
    assert "La participation pour tous" in by_address["fr@example.org"].body
    assert by_address["en@example.org"].subject == "News of the HUBs"
    message = by_address["en@example.org"]
    # One link in the header, the text and the HTML, naming this subscriber (the token holds
    # the second it was signed: compared as sent, not signed again here)
    link = message.extra_headers["List-Unsubscribe"].removeprefix("<").removesuffix(">")
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert signing.loads(token, salt=services.UNSUBSCRIBE_SALT) == [english.pk, english.email]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body
    html = message.alternatives[0][0]
    assert link in html
    assert Delivery.objects.filter(sent_at__isnull=False).count() == 2


def test_sending_twice_is_refused_and_sends_nothing_more(
    client, secretariat, django_capture_on_commit_callbacks
):
    hub, event, result = _items()
    newsletter = _compose(secretariat, hub, event, result)
    _subscribed()
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(newsletter.get_absolute_url())
    assert len(mail.outbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(newsletter.get_absolute_url(), follow=True)

    assert "already sent" in " ".join(_messages(response))
    assert len(mail.outbox) == 1


def test_retried_task_writes_to_nobody_twice(secretariat, django_capture_on_commit_callbacks):
    hub, event, result = _items()
    newsletter = _compose(secretariat, hub, event, result)
    _subscribed("a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.newsletter_send(actor=secretariat, newsletter=newsletter)
    assert len(mail.outbox) == 1
    _subscribed("b@example.org")  # confirmed since: a retry reaches them, and only them

    result_again = newsletter_deliver.call(newsletter.pk)
    result_third = newsletter_deliver.call(newsletter.pk)

    assert result_again == 1 and result_third == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]


def test_task_does_nothing_for_a_newsletter_not_sent(secretariat):
    hub, event, result = _items()
    newsletter = _compose(secretariat, hub, event, result)
    _subscribed()

    assert newsletter_deliver.call(newsletter.pk) == 0
    assert not mail.outbox


def test_a_refused_address_does_not_stop_the_others(secretariat, monkeypatch):
    hub, event, result = _items()
    newsletter = _compose(secretariat, hub, event, result)
    Newsletter.objects.filter(pk=newsletter.pk).update(sent_at=timezone.now())
    _subscribed("a@example.org")
    _subscribed("b@example.org")
    real = services.newsletter_message

    def failing(newsletter, subscriber):
        if subscriber.email == "a@example.org":
            raise OSError("mailbox full")
        return real(newsletter, subscriber)

    monkeypatch.setattr(services, "newsletter_message", failing)

    assert newsletter_deliver.call(newsletter.pk) == 1
    assert [m.to[0] for m in mail.outbox] == ["b@example.org"]
    assert Delivery.objects.get(subscriber__email="a@example.org").error == "mailbox full"
