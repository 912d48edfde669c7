"""A create form sent twice with the same content is done once (core.once)."""

import threading
import time

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.http import HttpResponse
from django.shortcuts import redirect
from django.test import RequestFactory

from local4action.accounts.tests.factories import UserFactory
from local4action.core.once import once

pytestmark = pytest.mark.django_db


def _request(user, data, path="/things/new/"):
    request = RequestFactory().post(path, data)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _creating_view(made: list, *, pause: float = 0.0):
    @once
    def view(request):
        time.sleep(pause)
        if not request.POST.get("title"):
            return HttpResponse("Title needed", status=400)
        made.append(request.POST["title"])
        return redirect(f"/things/{len(made)}/")

    return view


def test_the_same_form_sent_twice_is_done_once_and_both_go_to_the_result():
    made = []
    view = _creating_view(made)
    user = UserFactory()

    first = view(_request(user, {"title": "Walkable cities", "csrfmiddlewaretoken": "a"}))
    # the page was shown again in between: a new CSRF mask, the same content
    second = view(_request(user, {"title": "Walkable cities", "csrfmiddlewaretoken": "b"}))

    assert made == ["Walkable cities"]
    assert first["Location"] == second["Location"] == "/things/1/"


def test_other_content_another_person_or_a_refused_form_is_done_again():
    made = []
    view = _creating_view(made)
    ana, bo = UserFactory(), UserFactory()

    view(_request(ana, {"title": "Walkable cities"}))
    view(_request(ana, {"title": "Green roofs"}))
    view(_request(bo, {"title": "Walkable cities"}))
    assert made == ["Walkable cities", "Green roofs", "Walkable cities"]

    # a refusal is not remembered: the corrected (or same) form may be sent again
    assert view(_request(ana, {"title": ""})).status_code == 400
    assert view(_request(ana, {"title": ""})).status_code == 400


def test_two_sendings_at_the_same_moment_make_one_thing():
    made = []
    view = _creating_view(made, pause=0.3)
    user = UserFactory()
    answers = []

    def send():
        answers.append(view(_request(user, {"title": "Walkable cities"})))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert made == ["Walkable cities"]
    assert [answer["Location"] for answer in answers] == ["/things/1/", "/things/1/"]
