"""Search over threads and messages: accent-insensitive, stemmed in English, French and
Spanish, never finding hidden or deleted messages nor threads the person may not read. Runs
on SQLite and PostgreSQL alike (core.search)."""

import pytest
from django.urls import reverse

from local4action.accounts.tests.factories import MembershipFactory
from local4action.core.models import Goal
from local4action.exchange import selectors, services
from local4action.exchange.choices import Topic
from local4action.monitoring.tests.factories import make_hub


@pytest.fixture
def member(org_member, settings):
    settings.EXCHANGE_POSTS_PER_MINUTE = 1000
    return org_member


def start(actor, title, body, *, topic=Topic.GOAL, about=None):
    return services.thread_create(
        actor=actor,
        topic=topic,
        about=about or Goal.objects.get(number=11),
        title=title,
        body=body,
    )


def found_threads(user, query):
    return set(selectors.thread_list(user, query=query).values_list("title", flat=True))


def found_posts(user, query):
    return [post.body for post in selectors.post_search(user, query)]


def test_a_french_singular_finds_its_plural(member):
    start(member, "Les villes durables", "<p>Comment planifier les villes ?</p>")
    start(member, "Water", "<p>Rain gardens</p>")

    assert found_threads(member, "ville") == {"Les villes durables"}
    assert found_posts(member, "ville") == ["<p>Comment planifier les villes ?</p>"]


def test_accents_do_not_matter(member):
    start(member, "Transición", "<p>La energía solar en los barrios</p>")

    assert found_posts(member, "energia") == ["<p>La energía solar en los barrios</p>"]
    assert found_posts(member, "ÉNERGIA") == ["<p>La energía solar en los barrios</p>"]
    assert found_threads(member, "transicion") == {"Transición"}


def test_a_spanish_word_finds_its_plural(member):
    start(member, "Movilidad", "<p>Las ciudades intermedias y sus autobuses</p>")
    start(member, "Otra", "<p>Nada que ver</p>")

    assert found_posts(member, "ciudad") == ["<p>Las ciudades intermedias y sus autobuses</p>"]
    assert found_posts(member, "autobús") == ["<p>Las ciudades intermedias y sus autobuses</p>"]
    assert found_threads(member, "ciudad") == {"Movilidad"}


def test_an_english_word_finds_its_forms(member):
    start(member, "Planning", "<p>We planned three gardens</p>")

    assert found_posts(member, "garden plan") == ["<p>We planned three gardens</p>"]
    assert found_posts(member, "garden orchard") == []


def test_hidden_and_deleted_messages_are_never_found(member, secretariat):
    thread = start(member, "Budget", "<p>Participatory budgeting</p>")
    hidden = services.post_create(actor=member, thread=thread, body="<p>Secret tramway</p>")
    deleted = services.post_create(actor=member, thread=thread, body="<p>Forgotten tramway</p>")
    services.post_hide(actor=secretariat, post=hidden, reason="Off topic")
    services.post_delete(actor=member, post=deleted)

    for person in (member, secretariat):
        assert found_posts(person, "tramway") == []
        assert found_threads(person, "tramway") == set()


def test_results_are_limited_to_threads_the_person_may_read(member):
    hub, editor = make_hub(status="submitted")  # only its team sees it
    start(editor, "Private villes", "<p>Nos villes</p>", topic=Topic.INITIATIVE, about=hub)
    start(member, "Public villes", "<p>Les villes</p>")

    assert found_threads(member, "ville") == {"Public villes"}
    assert found_posts(member, "ville") == ["<p>Les villes</p>"]
    assert found_threads(editor, "ville") == {"Private villes", "Public villes"}
    outsider = MembershipFactory(role="member").user
    assert len(found_posts(outsider, "villes")) == 1


def test_the_index_page_searches_threads_and_messages(client, member):
    hub, editor = make_hub(status="submitted")
    start(editor, "Hidden plan", "<p>Ciudades privadas</p>", topic=Topic.INITIATIVE, about=hub)
    start(member, "Movilidad urbana", "<p>Las ciudades y la energía limpia del futuro</p>")
    start(member, "Water", "<p>Rain gardens</p>")
    client.force_login(member)

    page = client.get(reverse("exchange:index"), {"q": "ciudad energia"}).content.decode()

    assert "Movilidad urbana" in page
    assert "Las ciudades y la energía limpia del futuro" in page  # the excerpt
    assert "Water" not in page
    assert "Hidden plan" not in page
    assert "privadas" not in page
    empty = client.get(reverse("exchange:index"), {"q": "zzzz"}).content.decode()
    assert "No message matches these words." in empty
