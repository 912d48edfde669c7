"""The co-creation board: who posts and votes, the rules on ideas and votes, merging, the live
list (204 while nothing changed) and its query count."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from local4action.accounts.tests.factories import MembershipFactory, UserFactory
from local4action.core.testing import assert_queries_constant
from local4action.events import selectors, services
from local4action.events.models import Idea, Vote
from local4action.events.tests.factories import (
    make_event,
    make_idea,
    make_registration,
    make_session,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def event(organization):
    return make_event(organizers=[organization])


@pytest.fixture
def session(event):
    return make_session(
        event,
        title="A billboard for your city",
        kind="co_creation",
        prompt="Write the message of a billboard for your city",
        board_open=True,
        billboards=True,
    )


@pytest.fixture
def alice(event):
    person = MembershipFactory(organization__name="Lyon", role="member").user
    make_registration(event, person)
    return person


@pytest.fixture
def bob(event):
    person = UserFactory()
    make_registration(event, person)
    return person


def board_url(session):
    return reverse("events:board", args=[session.event.slug, session.pk])


def ideas_url(session, version=""):
    url = reverse("events:board_ideas", args=[session.event.slug, session.pk])
    return f"{url}?v={version}" if version else url


def post_url(session):
    return reverse("events:idea_post", args=[session.event.slug, session.pk])


def idea_url(name, idea):
    return reverse(f"events:{name}", args=[idea.session.event.slug, idea.pk])


# The page ----------------------------------------------------------------------------------------


def test_board_shows_the_prompt_the_form_and_the_city_of_the_participants_organization(
    client, session, alice
):
    client.force_login(alice)
    response = client.get(board_url(session))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Write the message of a billboard for your city" in html
    assert 'name="text"' in html and 'maxlength="280"' in html
    assert 'value="Lyon"' in html
    assert 'hx-trigger="every 2s"' in html
    assert "Refresh" in html


def test_only_co_creation_sessions_have_a_board(client, event, alice):
    welcome = make_session(event, kind="welcome")
    client.force_login(alice)
    assert client.get(board_url(welcome)).status_code == 404


def test_hidden_event_board_is_not_found(client, organization, user):
    hidden = make_event(organizers=[organization], published=False)
    session = make_session(hidden, kind="co_creation", board_open=True)
    client.force_login(user)
    assert client.get(board_url(session)).status_code == 404
    assert client.get(ideas_url(session)).status_code == 404


def test_visitors_who_do_not_take_part_read_the_board_without_the_form(client, session, user):
    make_idea(session, UserFactory(), "Walk to school")
    client.force_login(user)
    html = client.get(board_url(session)).content.decode()
    assert "Walk to school" in html
    assert 'name="text"' not in html
    assert "Only the accepted participants" in html
    assert ">Vote<" not in html


def test_closed_board_has_no_form(client, session, alice):
    session.board_open = False
    session.save()
    client.force_login(alice)
    html = client.get(board_url(session)).content.decode()
    assert 'name="text"' not in html
    assert "The board is closed" in html


def test_board_page_query_count_does_not_grow_with_ideas(client, session, alice, org_admin):
    authors = [UserFactory() for _ in range(3)]

    def add_ideas(count):
        for index in range(count):
            idea = make_idea(session, authors[index % 3], f"Idea {Idea.objects.count()}")
            Vote.objects.create(idea=idea, voter=alice)
        Idea.objects.update(status="retained")

    client.force_login(org_admin)
    assert_queries_constant(client, board_url(session), add_ideas)
    client.force_login(alice)
    assert_queries_constant(client, board_url(session), add_ideas)
    assert_queries_constant(client, ideas_url(session), add_ideas)


# Posting -----------------------------------------------------------------------------------------


def test_participant_posts_an_idea_and_goes_back_to_the_board(client, session, alice):
    client.force_login(alice)
    response = client.post(post_url(session), {"text": "  Bike   lanes for all ", "city": ""})
    assert response.status_code == 302
    assert response.url == board_url(session)
    idea = Idea.objects.get()
    assert (idea.text, idea.city, idea.author) == ("Bike lanes for all", "Lyon", alice)
    html = client.get(board_url(session)).content.decode()
    assert "Your idea is on the board." in html and "Bike lanes for all" in html


def test_idea_of_ten_thousand_characters_is_refused_and_nothing_is_saved(client, session, alice):
    client.force_login(alice)
    response = client.post(post_url(session), {"text": "x" * 10_000, "city": "Lyon"})
    assert response.status_code == 200
    assert "An idea is short: at most 280 characters (this one has 10000)." in (
        response.content.decode()
    )
    assert not Idea.objects.exists()


def test_idea_with_a_script_tag_is_refused(client, session, alice):
    client.force_login(alice)
    response = client.post(post_url(session), {"text": "Hi <script>alert(1)</script>"})
    assert "Ideas are plain text: remove the HTML tags" in response.content.decode()
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not Idea.objects.exists()
    with pytest.raises(ValidationError):
        services.idea_post(actor=alice, session=session, text="<script>x</script>")
    assert not Idea.objects.exists()


def test_htmx_post_swaps_the_list_and_returns_the_form_with_the_error(client, session, alice):
    client.force_login(alice)
    response = client.post(post_url(session), {"text": "y" * 300, "city": "Lyon"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="board-ideas"' in html
    assert 'hx-swap-oob="true"' in html and "at most 280 characters" in html
    assert "y" * 300 in html  # the text is kept to be shortened
    assert not Idea.objects.exists()

    response = client.post(post_url(session), {"text": "Trees on every street"}, **HTMX)
    html = response.content.decode()
    assert "Trees on every street" in html
    assert "Your idea is on the board." in html
    assert Idea.objects.count() == 1


def test_someone_who_does_not_take_part_cannot_post(client, session, user):
    client.force_login(user)
    response = client.post(post_url(session), {"text": "Let me in"})
    assert response.status_code == 403
    assert not Idea.objects.exists()
    with pytest.raises(PermissionDenied):
        services.idea_post(actor=user, session=session, text="Let me in")


def test_waitlisted_person_cannot_post(client, event, session):
    person = UserFactory()
    make_registration(event, person, status="waitlisted")
    client.force_login(person)
    assert client.post(post_url(session), {"text": "Me too"}).status_code == 403
    assert not Idea.objects.exists()


def test_anonymous_visitor_is_sent_to_log_in(client, session):
    response = client.post(post_url(session), {"text": "Hello"})
    assert response.status_code == 302 and "login" in response.url
    assert not Idea.objects.exists()


def test_closed_board_refuses_ideas_with_a_message(client, session, alice):
    session.board_open = False
    session.save()
    client.force_login(alice)
    response = client.post(post_url(session), {"text": "Too late"}, follow=True)
    assert "The board is closed: ideas can no longer be posted." in response.content.decode()
    assert not Idea.objects.exists()


def test_organizer_opens_and_closes_the_board_others_cannot(client, session, org_admin, alice):
    url = reverse("events:board_open", args=[session.event.slug, session.pk])
    client.force_login(alice)
    assert client.post(url, {"open": "0"}).status_code == 403
    session.refresh_from_db()
    assert session.board_open

    client.force_login(org_admin)
    response = client.post(url, {"open": "0"}, follow=True)
    assert "The board is closed: no more ideas can be posted." in response.content.decode()
    session.refresh_from_db()
    assert not session.board_open
    client.post(url, {"open": "1"})
    session.refresh_from_db()
    assert session.board_open


# Votes -------------------------------------------------------------------------------------------


def test_votes_are_counted_and_can_be_withdrawn(client, session, alice, bob, org_admin):
    idea = make_idea(session, alice, "Bike lanes")
    client.force_login(bob)
    client.post(idea_url("idea_vote", idea))
    services.idea_vote(actor=org_admin, idea=idea)
    idea.refresh_from_db()
    assert idea.votes_count == 2 == idea.votes.count()
    html = client.get(board_url(session)).content.decode()
    assert "2 votes" in html and "Withdraw my vote" in html

    response = client.post(idea_url("idea_unvote", idea), follow=True)
    assert "Your vote is withdrawn." in response.content.decode()
    idea.refresh_from_db()
    assert idea.votes_count == 1
    assert not idea.votes.filter(voter=bob).exists()


def test_voting_for_ones_own_idea_is_refused(client, session, alice):
    idea = make_idea(session, alice, "My own")
    client.force_login(alice)
    html = client.get(board_url(session)).content.decode()
    assert f'id="vote-button-{idea.pk}"' not in html
    response = client.post(idea_url("idea_vote", idea), follow=True)
    assert "You cannot vote for your own idea." in response.content.decode()
    idea.refresh_from_db()
    assert idea.votes_count == 0 and not Vote.objects.exists()


def test_voting_twice_is_refused(client, session, alice, bob):
    idea = make_idea(session, alice, "Twice")
    client.force_login(bob)
    client.post(idea_url("idea_vote", idea))
    response = client.post(idea_url("idea_vote", idea), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "You have already voted for this idea." in html
    assert 'id="board-ideas"' in html
    idea.refresh_from_db()
    assert idea.votes_count == 1 == Vote.objects.count()


def test_someone_who_does_not_take_part_cannot_vote(client, session, alice, user):
    idea = make_idea(session, alice, "Members only")
    client.force_login(user)
    assert client.post(idea_url("idea_vote", idea)).status_code == 403
    idea.refresh_from_db()
    assert idea.votes_count == 0


def test_ideas_are_listed_most_voted_first(client, session, alice, bob, org_admin):
    first = make_idea(session, alice, "First posted")
    second = make_idea(session, alice, "Second posted")
    services.idea_vote(actor=bob, idea=second)
    client.force_login(bob)
    html = client.get(board_url(session)).content.decode()
    assert html.index("Second posted") < html.index("First posted")
    assert [i.pk for i in selectors.board_ideas(session, bob)] == [second.pk, first.pk]


# Organizers: merge and retain --------------------------------------------------------------------


def test_merging_moves_votes_once_and_hides_the_duplicate(client, session, alice, bob, org_admin):
    carol = UserFactory()
    make_registration(session.event, carol)
    target = make_idea(session, alice, "Cycle paths everywhere")
    duplicate = make_idea(session, bob, "Bike lanes everywhere")
    services.idea_vote(actor=carol, idea=target)
    services.idea_vote(actor=carol, idea=duplicate)  # voted both: counts once
    services.idea_vote(actor=alice, idea=duplicate)  # the target's author: not counted
    services.idea_vote(actor=org_admin, idea=duplicate)  # moves to the target

    client.force_login(org_admin)
    response = client.post(idea_url("idea_merge", duplicate), {"into": target.pk}, follow=True)
    assert "The ideas are merged" in response.content.decode()
    target.refresh_from_db()
    duplicate.refresh_from_db()
    assert target.votes_count == 2
    assert set(target.votes.values_list("voter_id", flat=True)) == {carol.pk, org_admin.pk}
    assert (duplicate.status, duplicate.merged_into, duplicate.votes_count) == (
        "merged",
        target,
        0,
    )
    html = client.get(board_url(session)).content.decode()
    assert "Cycle paths everywhere" in html
    assert "Bike lanes everywhere" not in html


def test_participants_cannot_merge_or_retain(client, session, alice, bob):
    target = make_idea(session, alice, "One")
    duplicate = make_idea(session, bob, "Two")
    client.force_login(alice)
    assert client.post(idea_url("idea_merge", duplicate), {"into": target.pk}).status_code == 403
    assert client.post(idea_url("idea_retain", target)).status_code == 403
    duplicate.refresh_from_db()
    target.refresh_from_db()
    assert duplicate.status == "open" and target.status == "open"


def test_merging_into_an_unknown_idea_gives_a_message(client, session, alice, org_admin):
    idea = make_idea(session, alice, "Alone")
    client.force_login(org_admin)
    response = client.post(idea_url("idea_merge", idea), {"into": "nope"}, follow=True)
    assert "Choose another idea to merge into." in response.content.decode()
    response = client.post(idea_url("idea_merge", idea), {"into": idea.pk}, follow=True)
    assert "Choose another idea to merge into." in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == "open"


def test_organizer_retains_an_idea_and_gets_the_billboard_links(client, session, alice, org_admin):
    idea = make_idea(session, alice, "Lyon walks")
    client.force_login(org_admin)
    client.post(idea_url("idea_retain", idea), {"retained": "1"})
    idea.refresh_from_db()
    assert idea.status == "retained"
    html = client.get(board_url(session)).content.decode()
    assert "Retained" in html
    assert idea_url("billboard_png", idea) in html and idea_url("billboard_svg", idea) in html

    client.post(idea_url("idea_retain", idea), {"retained": "0"})
    idea.refresh_from_db()
    assert idea.status == "open"


# The live list -----------------------------------------------------------------------------------


def test_live_list_answers_204_while_unchanged_and_the_new_list_after_a_change(
    client, session, alice, bob
):
    idea = make_idea(session, alice, "First idea")
    client.force_login(bob)
    version = selectors.board_version(session)
    response = client.get(ideas_url(session, version), **HTMX)
    assert response.status_code == 204
    assert response.content == b""

    services.idea_vote(actor=bob, idea=idea)
    response = client.get(ideas_url(session, version), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 vote" in html
    new_version = selectors.board_version(session)
    assert new_version != version
    assert f'data-version="{new_version}"' in html
    assert client.get(ideas_url(session, new_version)).status_code == 204

    services.idea_post(actor=alice, session=session, text="Second idea")
    html = client.get(ideas_url(session, new_version)).content.decode()
    assert "Second idea" in html


def test_live_list_sees_the_board_closing(client, session, alice, org_admin):
    version = selectors.board_version(session)
    services.board_open(actor=org_admin, session=session, is_open=False)
    client.force_login(alice)
    response = client.get(ideas_url(session, version))
    assert response.status_code == 200
    assert "The board is closed." in response.content.decode()
