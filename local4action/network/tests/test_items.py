"""Offers and needs: the team's page, the checks, and the suggested matches with reasons."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from local4action.monitoring.tests.factories import make_hub
from local4action.network import selectors, services
from local4action.network.models import ExchangeItem, Relation

pytestmark = pytest.mark.django_db


def add(hub, editor, side="offer", category="training", title="Training on budgets", **data):
    return services.exchange_item_save(
        actor=editor,
        initiative=hub,
        data={"side": side, "category": category, "title": title, **data},
    )


# Services --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, field",
    [
        ({"side": "gift"}, "side"),
        ({"category": "anything"}, "category"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"description": "x" * 2001}, "description"),
    ],
)
def test_bad_items_are_refused_with_a_message(data, field):
    hub, editor = make_hub()
    with pytest.raises(ValidationError) as refused:
        add(hub, editor, **data)
    assert field in refused.value.message_dict
    assert not ExchangeItem.objects.exists()


def test_only_the_team_manages_items(user):
    hub, editor = make_hub()
    other, other_editor = make_hub(title="Elsewhere")
    with pytest.raises(PermissionDenied):
        add(hub, other_editor)
    item = add(hub, editor)
    with pytest.raises(PermissionDenied):
        services.exchange_item_delete(actor=user, item=item)
    # An item cannot be moved to another initiative through the save.
    with pytest.raises(PermissionDenied):
        services.exchange_item_save(actor=other_editor, initiative=other, data={}, item=item)
    assert ExchangeItem.objects.get() == item


def test_matches_pair_needs_with_offers_in_the_same_category_with_reasons():
    hub, editor = make_hub(title="Participation for all")
    need = add(
        hub, editor, side="need", category="training", title="Training on participatory budgets"
    )
    near, near_editor = make_hub(title="Budgets by the people")
    offer = add(
        near, near_editor, side="offer", category="training", title="Participatory budgets training"
    )
    far, far_editor = make_hub(title="Far away")
    unrelated = add(far, far_editor, side="offer", category="training", title="Cooking lessons")
    # Not matched: same side, other category, own offers, non-public initiatives.
    add(near, near_editor, side="need", category="training", title="Training on budgets")
    add(near, near_editor, side="offer", category="funding", title="Participatory budgets money")
    draft, draft_editor = make_hub(title="Hidden", status="draft")
    add(draft, draft_editor, side="offer", category="training", title="Participatory budgets")
    Relation.objects.create(initiative=hub, other=near, score=0.8, reasons={})

    matches = selectors.matches_for(hub)
    assert [(m["mine"], m["theirs"]) for m in matches] == [(need, offer), (need, unrelated)]
    best = matches[0]
    assert best["reasons"] == ["category", "words", "related"]
    assert "budget" in " ".join(best["shared_words"])
    assert matches[1]["reasons"] == ["category"]
    assert best["score"] > matches[1]["score"]


# Pages -----------------------------------------------------------------------------------------


def test_items_page_adds_edits_and_deletes(client):
    hub, editor = make_hub()
    client.force_login(editor)
    url = reverse("network:items", args=[hub.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"side": "need", "category": "data_tool", "title": "A data tool", "description": "For us"},
    )
    assert response.status_code == 302
    item = ExchangeItem.objects.get()
    assert (item.side, item.category, item.title, item.created_by) == (
        "need",
        "data_tool",
        "A data tool",
        editor,
    )
    page = client.get(url, {"edit": item.pk})
    assert page.context["form"].initial["title"] == "A data tool"
    client.post(
        url,
        {"item": item.pk, "side": "need", "category": "data_tool", "title": "An open data tool"},
    )
    item.refresh_from_db()
    assert item.title == "An open data tool"
    assert ExchangeItem.objects.count() == 1
    # Shown on the HUB page to everyone.
    client.logout()
    assert "An open data tool" in client.get(hub.get_absolute_url()).content.decode()
    client.force_login(editor)
    client.post(reverse("network:item_delete", args=[item.pk]))
    assert not ExchangeItem.objects.exists()


def test_items_page_shows_errors_and_saves_nothing(client):
    hub, editor = make_hub()
    client.force_login(editor)
    response = client.post(
        reverse("network:items", args=[hub.slug]),
        {"side": "offer", "category": "nonsense", "title": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"category", "title"}
    assert not ExchangeItem.objects.exists()


def test_items_page_is_for_the_team_only(client, user):
    hub, editor = make_hub()
    item = add(hub, editor)
    other, other_editor = make_hub(title="Elsewhere")
    url = reverse("network:items", args=[hub.slug])
    client.force_login(user)
    assert client.get(url).status_code == 403
    client.force_login(other_editor)
    assert (
        client.post(url, {"side": "offer", "category": "training", "title": "X"}).status_code == 403
    )
    assert client.post(reverse("network:item_delete", args=[item.pk])).status_code == 403
    # Someone else's item cannot be edited through one's own page.
    own = reverse("network:items", args=[other.slug])
    assert client.get(own, {"edit": item.pk}).status_code == 404
    assert client.get(own, {"edit": "x"}).status_code == 404
    assert ExchangeItem.objects.get().title == item.title


def test_items_page_shows_matches_in_words(client):
    hub, editor = make_hub()
    add(hub, editor, side="need", category="peer_visit", title="Visit a mobility lab")
    near, near_editor = make_hub(title="Mobility lab")
    add(near, near_editor, side="offer", category="peer_visit", title="Visits of our mobility lab")
    client.force_login(editor)
    html = client.get(reverse("network:items", args=[hub.slug])).content.decode()
    assert "Same category: A peer visit" in html
    assert "Words in common:" in html and "mobility" in html
    assert reverse("network:connect", args=[near.slug]) in html
