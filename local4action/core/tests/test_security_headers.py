"""Security headers on every page: a Content Security Policy without inline script, no
framing except the embeds, browser features off, HSTS behind TLS; and no template that would
need the policy loosened."""

import pathlib
import re

import pytest
from django.urls import reverse

from local4action.monitoring.tests.factories import make_hub

pytestmark = pytest.mark.django_db

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.parametrize("name", ["portal:home", "initiatives:list", "account_login"])
def test_pages_forbid_inline_and_foreign_scripts_and_framing(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    features = response.headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in features


def test_embeds_may_be_framed_by_any_site_and_still_run_no_script(client):
    hub, _editor = make_hub(title="Bilbao, city of values")
    response = client.get(reverse("portal:embed_hub", args=[hub.slug]))
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    policy = _policy(response)
    assert policy["frame-ancestors"] == ["*"]
    assert policy["script-src"] == ["'self'"]


def test_map_tiles_and_logo_hosts_are_allowed_as_images_only(settings, client):
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {
            **settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
            "img-src": ["'self'", "https://tiles.example.org"],
        }
    }
    policy = _policy(client.get(reverse("portal:home")))
    assert "https://tiles.example.org" in policy["img-src"]
    assert "https://tiles.example.org" not in policy["script-src"]


def test_hsts_is_sent_over_https(settings, client):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(reverse("portal:home"), secure=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
# Event handler attributes (onclick=…) and htmx's hx-on run inline code: the policy blocks them.
INLINE_HANDLER = re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=\s*[\"']", re.IGNORECASE)
# e-mails are not pages: their inline styles are what mail readers need.
NOT_PAGES = ("/email/",)


def test_no_template_holds_inline_script_or_style_elements():
    offenders = []
    for path in ROOT.glob("local4action/**/templates/**/*.html"):
        if any(part in path.as_posix() for part in NOT_PAGES):
            continue
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, re.compile(r"<style\b", re.I)):
            for match in pattern.finditer(text):
                if "application/ld+json" in match.group(0) or 'type="application/json"' in (
                    match.group(0)
                ):
                    continue  # data, not code
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0).strip()}")
    assert not offenders, "\n".join(offenders)
