"""Pictures people upload (organization logos, initiative images, library covers) are kept
only as re-encoded pixels: what a crafted file carries besides them never reaches the site."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from local4action.accounts import services as accounts
from local4action.accounts.models import Organization
from local4action.core.uploads import reencoded_image
from local4action.initiatives import services as initiatives
from local4action.initiatives.tests.test_catalogue import make_initiative

PAYLOAD = b"<script>alert('owned')</script>PK\x03\x04hidden.zip"
LIMIT = 10 * 1024 * 1024


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "#0b5394")
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x8825] = {2: (45.0, 45.0, 0.0), 4: (4.0, 50.0, 0.0)}  # GPS latitude, longitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _png(size=(40, 30), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, format="PNG")
    return out.getvalue()


def test_a_payload_appended_to_a_picture_is_dropped():
    upload = SimpleUploadedFile("logo.png", _png() + PAYLOAD, "image/png")
    kept = reencoded_image(upload, max_bytes=LIMIT).read()
    assert kept.startswith(b"\x89PNG")
    assert b"script" not in kept and b"hidden.zip" not in kept
    assert Image.open(io.BytesIO(kept)).size == (40, 30)


def test_the_place_a_photo_was_taken_is_dropped():
    upload = SimpleUploadedFile("photo.jpg", _jpeg_with_gps(), "image/jpeg")
    assert Image.open(io.BytesIO(upload.read())).getexif()  # the original carries it
    upload.seek(0)
    kept = reencoded_image(upload, max_bytes=LIMIT)
    image = Image.open(io.BytesIO(kept.read()))
    assert image.format == "JPEG"
    assert not image.getexif()


def test_large_pictures_are_scaled_down():
    upload = SimpleUploadedFile("wide.png", _png(size=(4000, 1000), mode="RGB"), "image/png")
    kept = reencoded_image(upload, max_bytes=LIMIT)
    assert kept.name == "wide.jpg"
    assert Image.open(io.BytesIO(kept.read())).size == (1600, 400)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("logo.gif", b"GIF89a" + b"\x00" * 20, "PNG or JPEG"),
        ("logo.png", b"<svg onload=alert(1)>", "does not match its extension"),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "could not be read"),
    ],
)
def test_what_is_not_a_picture_is_refused_with_a_clear_message(name, content, message):
    with pytest.raises(ValidationError, match=message):
        reencoded_image(SimpleUploadedFile(name, content), max_bytes=LIMIT)


def test_a_decompression_bomb_is_refused_before_decoding():
    bomb = _png(size=(8000, 8000), mode="1")  # small on disk, 64 million pixels
    assert len(bomb) < 100_000
    with pytest.raises(ValidationError, match="too large"):
        reencoded_image(SimpleUploadedFile("bomb.png", bomb), max_bytes=LIMIT)


@pytest.mark.django_db
def test_an_organization_logo_is_stored_re_encoded(user):
    logo = SimpleUploadedFile("logo.png", _png() + PAYLOAD, "image/png")
    organization = accounts.organization_create(
        actor=user,
        data={"name": "Ville de Lyon", "kind": "local_government", "country": "FR", "logo": logo},
    )
    stored = organization.logo.read()
    assert stored.startswith(b"\x89PNG") and b"script" not in stored


@pytest.mark.django_db
def test_a_refused_logo_keeps_nothing_and_says_why(client, user):
    client.force_login(user)
    response = client.post(
        reverse("accounts:organization_create"),
        {
            "name": "Ville",
            "kind": "local_government",
            "country": "FR",
            "logo": SimpleUploadedFile("logo.png", _png(size=(8000, 8000), mode="1")),
        },
    )
    assert response.status_code == 200
    assert "The picture is too large." in response.content.decode()
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_an_initiative_image_is_stored_re_encoded():
    photo = SimpleUploadedFile("street.jpg", _jpeg_with_gps(), "image/jpeg")
    initiative = make_initiative("Safe streets")
    initiatives.initiative_update(initiative=initiative, data={"image": photo})
    initiative.refresh_from_db()
    image = Image.open(initiative.image)
    assert image.format == "JPEG" and not image.getexif()
