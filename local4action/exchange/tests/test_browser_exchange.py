"""The exchange space in a real Chromium: a member opens the discussions of an SDG from its page,
starts a thread; another member replies to the message, reacts and follows; axe finds no
serious problem on the index, topic, thread and preferences pages."""

import re

import pytest
from playwright.sync_api import expect

from local4action.accounts.tests.factories import MembershipFactory
from local4action.core.models import Goal
from local4action.core.testing import axe_violations, log_in
from local4action.exchange.models import Follow, Post, Reaction, Thread

pytestmark = pytest.mark.browser


def test_members_discuss_an_sdg(new_page, reference_data):
    goal = Goal.objects.get(number=11)
    ana = MembershipFactory(role="member", user__name="Ana Lopez").user
    bruno = MembershipFactory(role="member", user__name="Bruno Silva").user

    # Ana finds the discussions from the SDG page and starts one.
    first = log_in(new_page, ana)
    first.goto(goal.get_absolute_url())
    first.get_by_role("link", name="Discussions about this goal, and starting one").click()
    first.get_by_role("heading", name=re.compile("Discussions about SDG 11")).wait_for()
    assert axe_violations(first) == []
    first.get_by_label("Title").fill("Walkable streets in mid-sized cities")
    first.get_by_label("Message").fill("How do you make streets safe for children walking?")
    first.get_by_role("button", name="Start the discussion").click()
    first.get_by_role("heading", name="Walkable streets in mid-sized cities").wait_for()
    expect(first.locator(".messages")).to_contain_text("Your discussion has started.")
    assert axe_violations(first) == []
    thread = Thread.objects.get()
    assert thread.goal == goal

    # Bruno, on a phone, replies to the message, reacts and follows the thread.
    second = log_in(new_page, bruno, viewport={"width": 360, "height": 740})
    second.goto("/exchange/")
    second.get_by_role("link", name="Walkable streets in mid-sized cities").click()
    top = Post.objects.get()
    box = second.locator(".reply-box").first
    box.locator("summary").click()
    box.get_by_label("Message").fill("Wide pavements and 30 km/h zones worked in our town.")
    box.get_by_role("button", name="Send the reply").click()
    expect(second.locator(".messages")).to_contain_text("Your message is posted.")
    expect(second.locator(".replies")).to_contain_text("Wide pavements")
    reply = Post.objects.get(parent=top)
    assert reply.author == bruno

    article = second.locator(f"#post-{top.pk}")
    article.get_by_role("button", name=re.compile("Thanks")).click()
    expect(
        second.locator(f"#post-{top.pk}").get_by_role("button", name=re.compile("Thanks"))
    ).to_have_attribute("aria-pressed", "true")
    assert Reaction.objects.filter(post=top, user=bruno, kind="thanks").exists()

    second.get_by_role("button", name="Follow this discussion").click()
    expect(second.get_by_role("button", name="Stop following")).to_be_visible()
    assert Follow.objects.filter(thread=thread, user=bruno).exists()
    assert axe_violations(second) == []

    # Ana sees the reply and the reaction; every page passes axe.
    first.reload()
    expect(first.locator(".replies")).to_contain_text("Wide pavements")
    expect(first.locator(f"#post-{top.pk}")).to_contain_text("1")
    first.goto("/exchange/?q=pavement")
    expect(first.locator("main")).to_contain_text("Wide pavements")
    assert axe_violations(first) == []
    first.goto("/exchange/preferences/")
    first.get_by_label("A daily digest").check()
    first.get_by_role("button", name="Save").click()
    expect(first.locator(".messages")).to_contain_text("Your email preference is saved.")
    assert axe_violations(first) == []
