"""Faults while people use the platform: the database, Redis, the mail server or the task
queue down. People get a clear page (503, Retry-After) in their language, or their work is
kept and finished when the part is back; nothing is lost and nothing is done twice."""

from contextlib import contextmanager

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from local4action.core.models import Notification
from local4action.events.models import Registration
from local4action.events.tests.factories import make_event

pytestmark = pytest.mark.django_db

CLOSED_PORT = 1  # nothing listens there: connections are refused at once


@contextmanager
def database_down():
    """Every query fails as it does when PostgreSQL is stopped (Django's query hook)."""

    def refuse(execute, sql, params, many, context):
        raise OperationalError(
            'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
        )

    with connection.execute_wrapper(refuse):
        yield


@pytest.fixture
def browser_client():
    """A client that gets the error page, as a browser would, instead of the exception."""
    return Client(raise_request_exception=False)


def test_a_page_read_while_the_database_is_down_says_so_and_when_to_retry(browser_client):
    with database_down():
        response = browser_client.get(reverse("initiatives:list"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "briefly unavailable" in html and "Nothing you saved is lost" in html
    # Back up: the same page answers again.
    assert browser_client.get(reverse("initiatives:list")).status_code == 200


def test_the_unavailable_page_is_in_the_visitor_s_language(browser_client):
    with database_down():
        response = browser_client.get(reverse("initiatives:list"), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 503
    assert 'lang="fr"' in response.content.decode()
    assert "briefly unavailable" not in response.content.decode()


def test_the_api_answers_json_503(browser_client):
    with database_down():
        response = browser_client.get("/api/v1/initiatives")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "unavailable" in response.json()["detail"]


def test_a_registration_sent_while_the_database_is_down_is_not_lost_nor_doubled(user):
    event = make_event(capacity=10)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    url = reverse("events:register", args=[event.slug])
    with database_down():
        response = client.post(url, {"attendance": "in_person"})
    assert response.status_code == 503
    assert "send it again in a minute" in response.content.decode()
    assert not Registration.objects.exists()
    # The person sends the form again once the database is back: one registration.
    assert client.post(url, {"attendance": "in_person"}).status_code == 302
    response = client.post(url, {"attendance": "in_person"})
    assert "already registered" in response.content.decode()
    assert Registration.objects.filter(event=event, person=user).count() == 1


def _resend_form(html: str) -> tuple[str, list[tuple[str, str]]]:
    """The 503 page's "Send again" form, as a browser would send it."""
    from html.parser import HTMLParser

    found = {"action": None, "fields": []}

    class Form(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form":
                found["action"] = attrs["action"]
            elif tag == "input" and attrs.get("type") == "hidden":
                found["fields"].append((attrs["name"], attrs["value"]))

    Form().feed(html)
    return found["action"], found["fields"]


def test_a_survey_page_sent_while_the_database_is_down_is_kept_and_sent_again(org_member):
    from local4action.surveys.models import Answer
    from local4action.surveys.tests.factories import make_question, make_survey

    survey = make_survey(audience="members")
    question = make_question(survey, kind="long_text")
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    client.force_login(org_member)
    url = reverse("surveys:page", args=[survey.slug, 0])
    token = client.get(url).context["csrf_token"]
    typed = "Our town council met the youth groups <twice> in May & June."

    # given a long answer sent while the database is down
    with database_down():
        response = client.post(
            url,
            {f"q{question.pk}": typed, "action": "submit", "csrfmiddlewaretoken": str(token)},
        )

    # then the page says so, shows what was typed, and nothing was saved
    assert response.status_code == 503
    html = response.content.decode()
    assert "Our town council met the youth groups &lt;twice&gt; in May &amp; June." in html
    assert not Answer.objects.exists()

    # when the database is back and the person presses "Send again"
    action, fields = _resend_form(html)
    assert action == url
    again = client.post(action, dict(fields))

    # then the answer is saved once, as typed
    assert again.status_code == 302
    assert Answer.objects.get(question=question).value == typed


def test_passwords_are_not_written_back_into_the_unavailable_page(browser_client):
    with database_down():
        response = browser_client.post(
            reverse("account_login"), {"login": "ana@example.org", "password": "S3cret-pass!"}
        )
    assert response.status_code == 503
    html = response.content.decode()
    assert "S3cret-pass!" not in html
    assert "ana@example.org" in html


def test_with_redis_down_pages_answer_503_not_500(settings, browser_client):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{CLOSED_PORT}/0",
        }
    }
    response = browser_client.get(reverse("portal:home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


def _register_with_email_failing(user, settings):
    event = make_event(capacity=10)
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("events:register", args=[event.slug]), {"attendance": "in_person"}
    )
    assert response.status_code == 302  # the person is registered and told so on the page
    registration = Registration.objects.get(event=event, person=user)
    assert registration.status == "confirmed"
    return registration


def test_a_mail_server_down_delays_the_email_which_is_sent_once_later(
    user, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", CLOSED_PORT, 2
    with django_capture_on_commit_callbacks(execute=True):
        _register_with_email_failing(user, settings)
    notification = Notification.objects.get(recipient=user)
    assert notification.email_pending and notification.email_sent_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_pending_emails", older_than_minutes=0)
    call_command("send_pending_emails", older_than_minutes=0)  # run again: nothing more
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    notification.refresh_from_db()
    assert not notification.email_pending and notification.email_sent_at is not None


def test_a_task_queue_down_keeps_the_registration_and_the_email_goes_out_later(
    user, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": f"redis://127.0.0.1:{CLOSED_PORT}/0"}}
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    with django_capture_on_commit_callbacks(execute=True):
        _register_with_email_failing(user, settings)
    assert Notification.objects.get(recipient=user).email_pending
    assert mail.outbox == []

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    call_command("send_pending_emails", older_than_minutes=0)
    assert len(mail.outbox) == 1
