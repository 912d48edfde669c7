"""The secretariat's pages: the review queue, publishing (into a collection), returning with a
note, withdrawing, and curating collections — for staff only, with clear refusals."""

import pytest
from django.urls import reverse

from local4action.library import services
from local4action.library.models import Collection, CollectionItem
from local4action.library.tests.factories import make_collection, make_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(organization, org_editor):
    resource = services.resource_create(
        actor=org_editor,
        data={"kind": "toolkit", "title": "Waiting toolkit", "summary": "Ready."},
        organization=organization,
    )
    return services.resource_submit(actor=org_editor, resource=resource)


def review_url(resource):
    return reverse("library:review", args=[resource.slug])


def test_the_queue_is_for_staff_only(client, submitted, org_editor, secretariat):
    url = reverse("library:review_queue")

    client.force_login(org_editor)
    assert client.get(url).status_code == 403
    client.force_login(secretariat)
    response = client.get(url)
    assert response.status_code == 200
    assert "Waiting toolkit" in response.content.decode()
    assert review_url(submitted) in response.content.decode()


def test_the_team_may_not_publish_its_own_resource(client, submitted, org_editor):
    client.force_login(org_editor)

    response = client.post(review_url(submitted), {"decision": "publish"})

    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_staff_publish_into_a_collection(client, submitted, secretariat):
    collection = make_collection(title="Localizing finance")
    client.force_login(secretariat)

    response = client.post(
        review_url(submitted), {"decision": "publish", "publish-collection": collection.pk}
    )

    submitted.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == submitted.get_absolute_url()
    assert submitted.status == "published" and submitted.published_at
    assert list(collection.items.values_list("resource_id", flat=True)) == [submitted.pk]


def test_returning_needs_a_note(client, submitted, secretariat):
    client.force_login(secretariat)

    refused = client.post(review_url(submitted), {"decision": "return", "return-note": " "})
    submitted.refresh_from_db()
    assert refused.status_code == 400
    assert "Write what the team should change." in refused.content.decode()
    assert submitted.status == "submitted"

    returned = client.post(
        review_url(submitted), {"decision": "return", "return-note": "Add the figures."}
    )
    submitted.refresh_from_db()
    assert returned.status_code == 302
    assert (submitted.status, submitted.review_note) == ("returned", "Add the figures.")


def test_an_unknown_decision_is_a_message_not_an_error(client, submitted, secretariat):
    client.force_login(secretariat)

    response = client.post(review_url(submitted), {"decision": "delete"}, follow=True)

    assert response.status_code == 200
    assert "Choose a decision." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_a_withdrawn_resource_is_no_longer_public(client, secretariat):
    resource = make_resource(title="Outdated guide")
    client.force_login(secretariat)

    response = client.post(
        review_url(resource), {"decision": "withdraw", "withdraw-reason": "Superseded."}
    )

    resource.refresh_from_db()
    assert response.status_code == 302 and resource.status == "withdrawn"
    client.logout()
    assert client.get(resource.get_absolute_url()).status_code == 404


def test_the_review_page_shows_the_decisions_the_status_allows(client, submitted, secretariat):
    client.force_login(secretariat)

    content = client.get(review_url(submitted)).content.decode()

    assert 'value="publish"' in content and 'value="return"' in content
    assert 'value="withdraw"' not in content


# Collections ------------------------------------------------------------------------------------


def test_collections_are_managed_by_staff_only(client, org_editor):
    collection = make_collection()
    client.force_login(org_editor)

    assert client.get(reverse("library:collections_manage")).status_code == 403
    assert client.post(reverse("library:collections_manage"), {"title": "X"}).status_code == 403
    edit = reverse("library:collection_edit", args=[collection.slug])
    assert client.get(edit).status_code == 403
    assert Collection.objects.count() == 1


def test_staff_create_and_edit_a_collection(client, secretariat):
    client.force_login(secretariat)

    created = client.post(
        reverse("library:collections_manage"),
        {"title": "Resilience modules", "introduction": "Start here.", "language": "en"},
    )
    collection = Collection.objects.get()
    edited = client.post(
        reverse("library:collection_edit", args=[collection.slug]),
        {
            "title": "Resilience modules",
            "introduction": "Begin.",
            "language": "en",
            "published": "on",
        },
    )

    collection.refresh_from_db()
    assert created.status_code == 302 and edited.status_code == 302
    assert collection.published and collection.introduction == "Begin."


def test_a_collection_without_a_title_is_refused(client, secretariat):
    client.force_login(secretariat)

    response = client.post(reverse("library:collections_manage"), {"title": "", "language": "en"})

    assert response.status_code == 400
    assert not Collection.objects.exists()


def test_a_resource_is_added_by_its_address(client, secretariat):
    collection = make_collection()
    resource = make_resource()
    client.force_login(secretariat)
    add = reverse("library:collection_add", args=[collection.slug])

    unknown = client.post(add, {"resource": "https://example.org/library/nothing-here/"})
    added = client.post(add, {"resource": f"https://example.org{resource.get_absolute_url()}"})

    assert unknown.status_code == 400
    assert "No resource has this web address." in unknown.content.decode()
    assert added.status_code == 302
    assert list(collection.items.values_list("resource_id", flat=True)) == [resource.pk]


def test_items_move_up_and_down_and_out_without_script(client, secretariat):
    collection = make_collection()
    first, second, third = make_resource(), make_resource(), make_resource()
    for position, resource in enumerate([first, second, third], start=1):
        CollectionItem.objects.create(collection=collection, resource=resource, position=position)
    client.force_login(secretariat)
    url = reverse("library:collection_items", args=[collection.slug])

    def order():
        return list(collection.items.order_by("position").values_list("resource_id", flat=True))

    client.post(url, {"move": f"up:{third.pk}"})
    assert order() == [first.pk, third.pk, second.pk]
    client.post(url, {"move": f"down:{first.pk}"})
    assert order() == [third.pk, first.pk, second.pk]
    client.post(url, {"move": f"out:{first.pk}"})
    assert order() == [third.pk, second.pk]
    # The first cannot go higher; a stale or forged value changes nothing.
    client.post(url, {"move": f"up:{third.pk}"})
    response = client.post(url, {"move": "sideways:abc"}, follow=True)
    assert order() == [third.pk, second.pk]
    assert "no longer in the collection" in response.content.decode()


def test_the_collection_editor_lists_items_with_buttons(client, secretariat):
    collection = make_collection()
    resource = make_resource(title="Only module")
    CollectionItem.objects.create(collection=collection, resource=resource, position=1)
    client.force_login(secretariat)

    content = client.get(reverse("library:collection_edit", args=[collection.slug])).content
    content = content.decode()

    assert "Only module" in content
    assert f'value="out:{resource.pk}"' in content
    assert f'value="up:{resource.pk}"' not in content  # the only one: nowhere to move
