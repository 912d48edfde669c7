"""Connections between initiatives: the rules through the services and through the pages, the
notifications, both HUB pages, and the monitoring "synchronization" numbers."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from local4action.accounts.tests.factories import UserFactory
from local4action.core.models import Notification, PolicyArea
from local4action.core.testing import assert_queries_constant
from local4action.monitoring.tests.factories import make_hub
from local4action.network import selectors, services
from local4action.network.models import Connection, ExchangeItem, Relation

pytestmark = pytest.mark.django_db


def make_pair():
    """Two labelled HUBs, each with its own team: (a, a_editor, b, b_editor)."""
    a, a_editor = make_hub(title="Participation for all")
    b, b_editor = make_hub(title="Clean rivers")
    return a, a_editor, b, b_editor


def request(a, b, editor, kind="peer_learning", message="Let us learn together."):
    return services.connection_request(actor=editor, source=a, target=b, kind=kind, message=message)


def connect(a, a_editor, b, b_editor, kind="peer_learning") -> Connection:
    """An accepted connection from a to b."""
    connection = request(a, b, a_editor, kind=kind)
    return services.connection_decide(actor=b_editor, connection=connection, accept=True)


# Services --------------------------------------------------------------------------------------


def test_request_then_accept_connects_both_initiatives():
    a, a_editor, b, b_editor = make_pair()
    connection = request(a, b, a_editor)
    assert connection.status == "requested"
    assert list(selectors.requests_waiting(b)) == [connection]
    services.connection_decide(actor=b_editor, connection=connection, accept=True)
    assert list(selectors.connections_of(a)) == [connection]
    assert list(selectors.connections_of(b)) == [connection]
    assert not selectors.requests_waiting(b).exists()


def test_an_initiative_cannot_connect_with_itself():
    a, a_editor, _b, _ = make_pair()
    with pytest.raises(ValidationError, match="itself"):
        request(a, a, a_editor)
    assert not Connection.objects.exists()


@pytest.mark.parametrize("reverse_direction", [False, True])
def test_a_pair_holds_one_open_request_whichever_side_asks(reverse_direction):
    a, a_editor, b, b_editor = make_pair()
    request(a, b, a_editor)
    with pytest.raises(ValidationError, match="already waiting"):
        if reverse_direction:
            request(b, a, b_editor)
        else:
            request(a, b, a_editor)
    assert Connection.objects.count() == 1


@pytest.mark.parametrize("reverse_direction", [False, True])
def test_connected_initiatives_cannot_ask_again(reverse_direction):
    a, a_editor, b, b_editor = make_pair()
    connect(a, a_editor, b, b_editor)
    with pytest.raises(ValidationError, match="already connected"):
        if reverse_direction:
            request(b, a, b_editor)
        else:
            request(a, b, a_editor)
    assert Connection.objects.count() == 1


def test_a_declined_request_may_be_sent_again():
    a, a_editor, b, b_editor = make_pair()
    first = request(a, b, a_editor)
    services.connection_decide(actor=b_editor, connection=first, accept=False)
    second = request(a, b, a_editor, kind="mentoring")
    assert second.pk != first.pk
    assert second.status == "requested"
    first.refresh_from_db()
    assert first.status == "declined"


def test_only_public_initiatives_can_be_asked():
    a, a_editor, _b, _ = make_pair()
    draft, _draft_editor = make_hub(title="Not yet public", status="draft")
    with pytest.raises(ValidationError, match="HUBs and accompanied"):
        request(a, draft, a_editor)
    assert not Connection.objects.exists()


def test_only_the_source_team_can_ask(org_member):
    a, _a_editor, b, b_editor = make_pair()
    with pytest.raises(PermissionDenied):
        request(a, b, b_editor)
    with pytest.raises(PermissionDenied):
        request(a, b, UserFactory())
    assert not Connection.objects.exists()


def test_accepting_a_request_one_cannot_act_for_is_refused():
    a, a_editor, b, _b_editor = make_pair()
    connection = request(a, b, a_editor)
    for someone in (a_editor, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.connection_decide(actor=someone, connection=connection, accept=True)
    connection.refresh_from_db()
    assert connection.status == "requested"
    assert connection.decided_by is None


def test_withdraw_rules():
    a, a_editor, b, b_editor = make_pair()
    waiting = request(a, b, a_editor)
    # A waiting request is the source's to withdraw.
    with pytest.raises(PermissionDenied):
        services.connection_withdraw(actor=b_editor, connection=waiting)
    services.connection_withdraw(actor=a_editor, connection=waiting)
    waiting.refresh_from_db()
    assert waiting.status == "withdrawn"
    # Either side may end an accepted connection; then the pair may connect again.
    accepted = connect(a, a_editor, b, b_editor)
    services.connection_withdraw(actor=b_editor, connection=accepted)
    accepted.refresh_from_db()
    assert accepted.status == "withdrawn"
    assert not selectors.connections_of(a).exists()
    with pytest.raises(ValidationError, match="no longer active"):
        services.connection_withdraw(actor=a_editor, connection=accepted)
    assert request(b, a, b_editor).status == "requested"


def test_the_other_team_is_notified():
    a, a_editor, b, b_editor = make_pair()
    connection = request(a, b, a_editor, kind="mentoring")
    asked = Notification.objects.filter(kind="connection_requested")
    b_team = set(b.lead_organization.memberships.values_list("user", flat=True))
    assert {n.recipient_id for n in asked} == b_team
    assert b_editor.pk in b_team and a_editor.pk not in b_team
    assert asked[0].context == {"source": a.title, "target": b.title, "kind": "Mentoring"}
    services.connection_decide(actor=b_editor, connection=connection, accept=True)
    answered = Notification.objects.filter(kind="connection_accepted")
    a_team = set(a.lead_organization.memberships.values_list("user", flat=True))
    assert {n.recipient_id for n in answered} == a_team


def test_notifications_render_in_every_kind(client):
    """The three notification templates exist and name both initiatives."""
    from local4action.core.selectors import notification_render

    a, a_editor, b, b_editor = make_pair()
    connection = request(a, b, a_editor)
    services.connection_decide(actor=b_editor, connection=connection, accept=False)
    request(a, b, a_editor)
    for notification in Notification.objects.all():
        subject, body = notification_render(notification=notification)
        assert a.title in subject and b.title in subject
        assert a.title in body and b.title in body
        assert notification.url in body
    assert set(Notification.objects.values_list("kind", flat=True)) == {
        "connection_requested",
        "connection_declined",
    }


# Pages -----------------------------------------------------------------------------------------


def test_connect_form_sends_a_request(client):
    a, a_editor, b, b_editor = make_pair()
    client.force_login(a_editor)
    url = reverse("network:connect", args=[b.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert list(page.context["form"].fields["source"].queryset) == [a]
    response = client.post(url, {"source": a.pk, "kind": "joint_project", "message": "Hello"})
    assert response.status_code == 302
    assert response["Location"] == b.get_absolute_url() + "#connections"
    connection = Connection.objects.get()
    assert (connection.source, connection.target, connection.kind) == (a, b, "joint_project")
    assert connection.requested_by == a_editor
    assert Notification.objects.filter(recipient=b_editor, kind="connection_requested").exists()


def test_connect_form_refuses_twice_with_a_clear_message(client):
    a, a_editor, b, _b_editor = make_pair()
    request(a, b, a_editor)
    client.force_login(a_editor)
    response = client.post(
        reverse("network:connect", args=[b.slug]), {"source": a.pk, "kind": "mentoring"}
    )
    assert response.status_code == 200
    assert "already waiting for an answer" in response.content.decode()
    assert Connection.objects.count() == 1


def test_connect_form_refuses_itself_and_initiatives_one_does_not_act_for(client):
    a, a_editor, b, b_editor = make_pair()
    c, _c_editor = make_hub(title="Green schools")
    client.force_login(a_editor)
    # a's team cannot connect a with itself: a is not among its choices on a's page...
    assert client.get(reverse("network:connect", args=[a.slug])).status_code == 403
    # ...nor speak for c.
    response = client.post(
        reverse("network:connect", args=[b.slug]), {"source": c.pk, "kind": "mentoring"}
    )
    assert response.status_code == 200
    assert "Choose one of the initiatives you act for" in response.content.decode()
    response = client.post(
        reverse("network:connect", args=[b.slug]), {"source": a.pk, "kind": "nonsense"}
    )
    assert response.status_code == 200
    assert not Connection.objects.exists()


def test_connect_to_a_non_public_initiative_says_why(client, secretariat):
    a, _a_editor, _b, _ = make_pair()
    draft, _ = make_hub(title="Still a draft", status="draft")
    client.force_login(secretariat)
    response = client.post(
        reverse("network:connect", args=[draft.slug]), {"source": a.pk, "kind": "mentoring"}
    )
    assert response.status_code == 200
    assert "Only HUBs and accompanied initiatives" in response.content.decode()
    assert not Connection.objects.exists()


def test_connect_page_of_a_hidden_initiative_is_not_found(client):
    _a, a_editor, _b, _ = make_pair()
    draft, _ = make_hub(title="Still a draft", status="draft")
    client.force_login(a_editor)
    assert client.get(reverse("network:connect", args=[draft.slug])).status_code == 404


def test_people_acting_for_no_initiative_cannot_connect(client, user):
    _a, _, b, _ = make_pair()
    client.force_login(user)
    assert client.get(reverse("network:connect", args=[b.slug])).status_code == 403
    client.logout()
    response = client.get(reverse("network:connect", args=[b.slug]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_decide_view_accepts_for_the_target_team_only(client):
    a, a_editor, b, b_editor = make_pair()
    connection = request(a, b, a_editor)
    url = reverse("network:decide", args=[connection.pk])
    client.force_login(a_editor)
    assert client.post(url, {"accept": "1"}).status_code == 403
    connection.refresh_from_db()
    assert connection.status == "requested"
    client.force_login(b_editor)
    assert client.get(url).status_code == 405
    response = client.post(url, {"accept": "maybe"})
    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.status == "requested"
    response = client.post(url, {"accept": "1"})
    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.status == "accepted" and connection.decided_by == b_editor
    # Answering twice: a message, nothing changes.
    response = client.post(url, {"accept": "0"}, follow=True)
    assert "already been answered" in response.content.decode()
    connection.refresh_from_db()
    assert connection.status == "accepted"


def test_decline_view(client):
    a, a_editor, b, b_editor = make_pair()
    connection = request(a, b, a_editor)
    client.force_login(b_editor)
    client.post(reverse("network:decide", args=[connection.pk]), {"accept": "0"})
    connection.refresh_from_db()
    assert connection.status == "declined"
    assert Notification.objects.filter(recipient=a_editor, kind="connection_declined").exists()


def test_withdraw_view(client):
    a, a_editor, b, b_editor = make_pair()
    connection = request(a, b, a_editor)
    url = reverse("network:withdraw", args=[connection.pk])
    client.force_login(b_editor)
    assert client.post(url).status_code == 403
    connection.refresh_from_db()
    assert connection.status == "requested"
    client.force_login(a_editor)
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == a.get_absolute_url() + "#connections"
    connection.refresh_from_db()
    assert connection.status == "withdrawn"
    assert client.post(reverse("network:withdraw", args=[999999])).status_code == 404


def test_accepted_connection_shows_on_both_hub_pages(client):
    a, a_editor, b, b_editor = make_pair()
    connect(a, a_editor, b, b_editor, kind="replication")
    for page, other in ((a, b), (b, a)):
        html = client.get(page.get_absolute_url()).content.decode()
        assert other.title in html
        assert "Replication" in html
        # Visitors see no buttons.
        assert reverse("network:withdraw", args=[Connection.objects.get().pk]) not in html


def test_hub_page_shows_requests_to_the_team_with_their_buttons(client):
    a, a_editor, b, b_editor = make_pair()
    connection = request(a, b, a_editor, message="We would like to replicate your method.")
    client.force_login(b_editor)
    html = client.get(b.get_absolute_url()).content.decode()
    assert reverse("network:decide", args=[connection.pk]) in html
    assert "We would like to replicate your method." in html
    client.force_login(a_editor)
    html = client.get(a.get_absolute_url()).content.decode()
    assert reverse("network:withdraw", args=[connection.pk]) in html
    # a's team sees the Connect button on b's page, not on its own.
    assert (
        reverse("network:connect", args=[b.slug])
        in client.get(b.get_absolute_url()).content.decode()
    )
    assert reverse("network:connect", args=[a.slug]) not in html
    client.logout()
    html = client.get(b.get_absolute_url()).content.decode()
    assert reverse("network:decide", args=[connection.pk]) not in html
    assert reverse("network:connect", args=[b.slug]) not in html


def test_hub_page_shows_related_initiatives_with_reasons(client):
    a, _a_editor, b, _b_editor = make_pair()
    Relation.objects.create(initiative=a, other=b, score=0.7, reasons={"text": 0.8, "region": True})
    html = client.get(a.get_absolute_url()).content.decode()
    assert b.title in html
    assert "Same region" in html
    assert reverse("network:related", args=[a.slug]) in html


def test_hub_page_panel_query_count_is_constant(client):
    hub, editor = make_hub(title="The centre")
    area = PolicyArea.objects.first()
    client.force_login(editor)

    def add_rows(n):
        for _ in range(n):
            other, other_editor = make_hub(title="A neighbour")
            if Connection.objects.count() % 2:
                connect(other, other_editor, hub, editor)
            else:
                request(other, hub, other_editor)
            ExchangeItem.objects.create(
                initiative=hub, side="offer", category="method", title="A method"
            )
            Relation.objects.create(
                initiative=hub,
                other=other,
                score=0.5,
                reasons={"text": 0.4, "goals": [11], "policy_areas": [area.pk], "region": True},
            )

    assert_queries_constant(client, hub.get_absolute_url(), add_rows, rows=4)


# Monitoring ------------------------------------------------------------------------------------


def test_synchronization_counts(client, secretariat):
    a, a_editor, b, b_editor = make_pair()
    c, c_editor = make_hub(title="Green schools")
    d, d_editor = make_hub(title="Safe streets")
    connect(a, a_editor, b, b_editor, kind="mentoring")
    connect(c, c_editor, a, a_editor, kind="mentoring")
    request(d, a, d_editor)
    e, e_editor = make_hub(title="Open data")
    declined = request(e, a, e_editor, kind="joint_project")
    services.connection_decide(actor=a_editor, connection=declined, accept=False)
    sync = selectors.synchronization(a)
    assert sync["connections"] == 2
    assert sync["waiting"] == 1
    assert sync["by_kind"] == {"mentoring": 2}
    assert ("Mentoring", 2) in sync["kinds"] and ("Joint project", 0) in sync["kinds"]
    client.force_login(secretariat)
    html = client.get(reverse("monitoring:initiative", args=[a.slug])).content.decode()
    assert "Synchronization" in html
    assert "accepted connections with other initiatives" in html


def test_monitoring_page_queries_stay_constant_with_connections(client, secretariat):
    hub, editor = make_hub(title="The centre")
    client.force_login(secretariat)

    def add_rows(n):
        for _ in range(n):
            other, other_editor = make_hub(title="A neighbour")
            connect(other, other_editor, hub, editor)

    assert_queries_constant(
        client, reverse("monitoring:initiative", args=[hub.slug]), add_rows, rows=3
    )
