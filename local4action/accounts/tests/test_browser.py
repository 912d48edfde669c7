"""Key flows in a real Chromium: sign up, confirm, join an organization, change language."""

import re

import pytest
from django.core import mail

from local4action.accounts.models import Membership
from local4action.accounts.tests.factories import PASSWORD, MembershipFactory, OrganizationFactory
from local4action.core.testing import axe_violations

pytestmark = pytest.mark.browser


def log_in(page, email):
    page.goto("/account/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/profile/"))


def test_sign_up_confirm_join_and_switch_language(new_page, reference_data):
    organization = OrganizationFactory(name="City of Bilbao", slug="bilbao")
    admin = MembershipFactory(organization=organization, role="admin").user

    # A newcomer signs up…
    page = new_page()
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Email").fill("itziar@bilbao.example")
    page.get_by_label("Full name").fill("Itziar Etxebarria")
    page.locator("#id_password1").fill("Bilbao-values-2030")
    page.locator("#id_password2").fill("Bilbao-values-2030")
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()

    # …confirms the address from the email…
    [message] = mail.outbox
    link = re.search(r"https?://\S+/account/confirm-email/\S+/", message.body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="My profile").wait_for()

    # …asks to join the city's organization…
    page.get_by_role("link", name="Find your organization").click()
    page.get_by_role("link", name="City of Bilbao").click()
    page.get_by_role("button", name="Ask to join").click()
    page.get_by_text("Your request to join is waiting for an answer.").wait_for()

    # …and the city's administrator accepts, in another browser.
    admin_page = new_page()
    log_in(admin_page, admin.email)
    admin_page.goto("/organizations/bilbao/")
    admin_page.get_by_role("button", name="Accept").click()
    admin_page.get_by_text("Itziar Etxebarria has joined.").wait_for()
    assert Membership.objects.get(user__email="itziar@bilbao.example").status == "active"

    page.goto("/profile/")
    page.get_by_role("link", name="City of Bilbao").wait_for()
    assert "Requested" not in page.locator("main").inner_text()

    # The language switch works everywhere and is remembered.
    page.get_by_role("button", name="FR").click()
    page.get_by_role("heading", name="Mon profil").wait_for()
    page.goto("/sdg/")
    page.get_by_role("heading", name="Objectifs de développement durable").wait_for()
    page.get_by_role("button", name="ES").click()
    page.get_by_role("heading", name="Objetivos de Desarrollo Sostenible").wait_for()
    page.goto("/profile/")
    page.get_by_role("heading", name="Mi perfil").wait_for()
    assert page.locator("html").get_attribute("lang") == "es"


def test_core_pages_pass_axe_without_javascript_problems(new_page, reference_data):
    organization = OrganizationFactory(name="Municipality of Valongo", slug="valongo")
    member = MembershipFactory(organization=organization, role="admin").user
    visitor = new_page()
    errors = []
    visitor.on("pageerror", lambda error: errors.append(str(error)))
    pages = [
        "/",
        "/account/signup/",
        "/account/login/",
        "/organizations/",
        "/organizations/valongo/",
        "/sdg/",
        "/sdg/11/",
        "/sdg/target/11.3/",
    ]
    for url in pages:
        visitor.goto(url)
        assert axe_violations(visitor) == [], url
    signed_in = new_page()
    log_in(signed_in, member.email)
    for url in [
        "/profile/",
        "/organizations/valongo/",
        "/organizations/valongo/edit/",
        "/organizations/new/",
        "/notifications/",
    ]:
        signed_in.goto(url)
        assert axe_violations(signed_in) == [], url
    assert errors == []


def test_core_pages_work_without_javascript(new_page, reference_data):
    OrganizationFactory(name="Commune of Dschang", slug="dschang")
    page = new_page(java_script_enabled=False)
    page.goto("/organizations/")
    page.get_by_label("Name").fill("dschang")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Commune of Dschang").wait_for()
    page.get_by_role("button", name="ES").click()
    page.get_by_role("heading", name="Organizaciones").wait_for()


def test_phone_layout_has_no_horizontal_scroll(new_page, reference_data):
    page = new_page(viewport={"width": 360, "height": 740})
    for url in ["/", "/sdg/5/", "/account/signup/"]:
        page.goto(url)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, url


def test_organization_search_updates_in_place_with_htmx(page, reference_data):
    OrganizationFactory(name="Commune of Dschang", slug="dschang")
    OrganizationFactory(name="City of Montréal", slug="montreal")
    page.goto("/organizations/")
    page.evaluate("window.marker = 'still here'")
    page.get_by_label("Name").fill("montr")
    page.get_by_role("link", name="City of Montréal").wait_for()
    page.get_by_role("link", name="Commune of Dschang").wait_for(state="detached")
    # The list changed without a full page load, and the address can be shared.
    assert page.evaluate("window.marker") == "still here"
    assert "q=montr" in page.url
