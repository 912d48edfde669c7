from django.urls import reverse


def test_floor_is_a_tiny_page_without_database_or_cookies(client):
    # No `db` fixture: pytest-django fails the test if the page touches the database.
    response = client.get(reverse("core:floor"))

    assert response.status_code == 200
    assert b"<p>Local4Action</p>" in response.content
    assert len(response.content) < 300
    assert not response.cookies
