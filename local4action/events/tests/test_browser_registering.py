"""In a real Chromium: a member registers for an event with approval, the organizer accepts
them on the participant list, the member sees "accepted" and the venue, and the organizer
checks them in on a phone. Every page passes axe."""

import re

import pytest

from local4action.accounts.tests.factories import MembershipFactory, UserFactory
from local4action.core.testing import axe_violations, log_in
from local4action.events import services
from local4action.events.models import Invitation, Registration
from local4action.events.tests.factories import make_event

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_register_accept_and_check_in(new_page, reference_data):
    organizer = MembershipFactory(role="admin")
    member = MembershipFactory(role="member", user=UserFactory(name="Amina Diallo")).user
    event = make_event(
        title="Barcelona seminar",
        organizers=[organizer.organization],
        approval_required=True,
        questions=["role", "attendance", "languages"],
        venue="Palau de Congressos, room 4",
    )

    # The member registers: the organizers will decide.
    page = log_in(new_page, member)
    page.goto(f"/events/{event.slug}/register/")
    page.get_by_text("Do not book travel before you are accepted.").first.wait_for()
    assert axe_violations(page) == []
    page.get_by_label("Your role").fill("Deputy mayor")
    page.get_by_role("group", name="In person or remotely").get_by_label("Remotely").check()
    page.get_by_role("group", name="Languages you speak").get_by_label("French").check()
    page.get_by_role("button", name="Send my registration").click()
    # Back on the event page, which shows the registration's status.
    page.wait_for_url(f"**/events/{event.slug}/")
    page.locator(".message-success").get_by_text("waiting for the organizers' decision").wait_for()
    box = page.locator(".registration-box")
    box.get_by_text("Your registration is waiting for the organizers' decision.").wait_for()
    assert "Palau de Congressos" not in page.content()

    # The organizer accepts them on the participant list.
    admin = log_in(new_page, organizer.user)
    admin.goto(f"/events/{event.slug}/participants/")
    admin.get_by_text("Deputy mayor").wait_for()
    assert axe_violations(admin) == []
    admin.get_by_role("button", name="Accept Amina Diallo").click()
    admin.get_by_text("Amina Diallo is accepted.").wait_for()
    assert Registration.objects.get(person=member).status == "confirmed"

    # The member sees "accepted" and the venue.
    page.goto("/my/events/")
    page.get_by_text("Accepted", exact=True).wait_for()
    page.get_by_text("Palau de Congressos, room 4").wait_for()
    assert axe_violations(page) == []

    # On the day, the organizer checks them in on a phone.
    phone = log_in(new_page, organizer.user, viewport=PHONE)
    phone.goto(f"/events/{event.slug}/check-in/")
    phone.get_by_text("0 of 1 checked in").wait_for()
    assert axe_violations(phone) == []
    phone.get_by_label("Name, email or organization").fill("amina")
    phone.get_by_role("button", name="Search").click()
    button = phone.get_by_role("button", name=re.compile(r"^Check in"))
    box = button.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= PHONE["width"]
    button.click()
    phone.get_by_text("1 of 1 checked in").wait_for()
    phone.get_by_role("button", name=re.compile(r"^Undo")).wait_for()
    assert Registration.objects.get(person=member).checked_in_at is not None
    scroll = phone.evaluate("document.documentElement.scrollWidth")
    assert scroll <= PHONE["width"]


def test_invitation_page_is_accessible(new_page, reference_data):
    event = make_event(title="Two days in Barcelona", visibility="invitation")
    Invitation.objects.create(
        event=event, email="ana@example.org", token_hash=services.token_hash("secret-token")
    )
    page = new_page()
    page.goto("/invitations/secret-token/")
    page.get_by_role("heading", name="Invitation: Two days in Barcelona").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Sign in").click()
    page.wait_for_url(re.compile(r"/account/login/\?next=.*invitations"))

    ana = UserFactory(email="ana@example.org")
    signed_in = log_in(new_page, ana)
    signed_in.goto("/invitations/secret-token/")
    signed_in.get_by_role("button", name="Accept and register").wait_for()
    assert axe_violations(signed_in) == []
    signed_in.get_by_role("button", name="Accept and register").click()
    signed_in.wait_for_url(f"**/events/{event.slug}/")
    signed_in.get_by_text("your seat is confirmed").wait_for()
    signed_in.locator(".registration-box").get_by_text(
        "You are accepted: see you there."
    ).wait_for()
