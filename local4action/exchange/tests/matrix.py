"""Objects for the permission matrix's exchange rows (see core/tests/test_permission_matrix.py).

Threads about an SDG (every signed-in person), about A's draft initiative (A's members and the
secretariat: others get 404) and about A's members-only event (members of approved
organizations); messages of A's member in the first two; an attachment in the private thread
and one on a hidden message; a report, a person to block and a blocked one for moderation."""

# The API body's `about` is filled in by objects() with the slug of A's draft initiative: the
# test module holds this very dict (it copies API_BODIES' values, not their contents).
from django.core.files.base import ContentFile

API_BODIES = {
    ("POST", "/api/v1/threads"): {
        "topic": "initiative",
        "about": "set by objects()",
        "title": "Matrix",
        "body": "<p>Matrix.</p>",
    },
    ("POST", "/api/v1/threads/{id}/posts"): {"body": "<p>Matrix.</p>"},
    ("PATCH", "/api/v1/posts/{id}"): {"body": "<p>Matrix, edited.</p>"},
    ("POST", "/api/v1/posts/{id}/reports"): {"reason": "Matrix."},
}

PAGE_DATA = {
    "exchange:thread_create": {"title": "Matrix", "body": "<p>Matrix.</p>"},
    "exchange:reply": {"body": "<p>Matrix.</p>"},
    "exchange:follow": {"following": "1"},
    "exchange:post_edit": {"body": "<p>Matrix, edited.</p>"},
    "exchange:react": {"kind": "like"},
    "exchange:report": {"reason": "Matrix."},
    "exchange:preferences": {"frequency": "daily"},
    "exchange:hide": {"reason": "Matrix."},
    "exchange:block": {"reason": "Matrix."},
    "exchange:lock": {"locked": "1"},
}


def objects(world) -> dict:
    from local4action.accounts.tests.factories import MembershipFactory
    from local4action.core.models import Goal
    from local4action.exchange import services
    from local4action.exchange.choices import Topic
    from local4action.exchange.models import Attachment, Block

    people = world["people"]
    member, staff = people["org_member"], people["staff"]
    draft = world["draft_application"].initiative
    event = world["members_event"]
    goal = Goal.objects.get(number=11)
    # A plain member of B: writes the messages the moderation rows act on.
    poster = MembershipFactory(organization=world["org_b"], role="member").user
    blocked = MembershipFactory(organization=world["org_b"], role="member").user
    Block.objects.create(user=blocked, reason="Matrix.", blocked_by=staff)

    goal_thread = services.thread_create(
        actor=poster, topic=Topic.GOAL, about=goal, title="Open to all", body="<p>Hello</p>"
    )
    private_thread = services.thread_create(
        actor=world["a_editor"],
        topic=Topic.INITIATIVE,
        about=draft,
        title="A's draft, among us",
        body="<p>Only A</p>",
    )
    members_thread = services.thread_create(
        actor=member,
        topic=Topic.EVENT,
        about=event,
        title="Members' event",
        body="<p>Members</p>",
    )
    member_post = services.post_create(actor=member, thread=goal_thread, body="<p>Mine</p>")
    private_post = services.post_create(actor=member, thread=private_thread, body="<p>Ours</p>")
    poster_post = services.post_create(actor=poster, thread=goal_thread, body="<p>Spam?</p>")
    report = services.report_create(actor=people["partner"], post=poster_post, reason="Spam")
    hidden_post = services.post_create(actor=poster, thread=goal_thread, body="<p>Rude</p>")

    def attach(post):
        return Attachment.objects.create(
            post=post,
            file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="matrix.pdf"),
            name="matrix.pdf",
            size=100,
            content_type="application/pdf",
        )

    private_attachment = attach(private_post)
    hidden_attachment = attach(hidden_post)
    services.post_hide(actor=staff, post=hidden_post, reason="Rude.")

    API_BODIES[("POST", "/api/v1/threads")]["about"] = draft.slug
    return {
        "exchange_goal_topic": {"topic": Topic.GOAL.value, "about": goal.pk},
        "exchange_hub_topic": {"topic": Topic.INITIATIVE.value, "about": world["hub"].pk},
        "exchange_private_topic": {"topic": Topic.INITIATIVE.value, "about": draft.pk},
        "exchange_members_topic": {"topic": Topic.EVENT.value, "about": event.pk},
        "exchange_goal_thread": {"pk": goal_thread.pk},
        "exchange_private_thread": {"pk": private_thread.pk},
        "exchange_members_thread": {"pk": members_thread.pk},
        "exchange_member_post": {"pk": member_post.pk},
        "exchange_private_post": {"pk": private_post.pk},
        "exchange_poster_post": {"pk": poster_post.pk},
        "exchange_hidden_post": {"pk": hidden_post.pk},
        "exchange_private_attachment": {"pk": private_attachment.pk},
        "exchange_hidden_attachment": {"pk": hidden_attachment.pk},
        "exchange_report": {"pk": report.pk},
        "exchange_poster": {"pk": poster.pk},
        "exchange_blocked": {"pk": blocked.pk},
    }
