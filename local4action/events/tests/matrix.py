"""Objects for the permission matrix's events rows (see core/tests/test_permission_matrix.py).

Besides the world's members-only event of A (`members_event`) and B's public event
(`b_event`), A organizes:
- a public event with a co-creation board (open) and a welcome session, two ideas of A's
  editor on the board (one open, one retained for billboards), the partner as an accepted
  participant (participants and organizers may post and vote), and the outsider's
  sponsorship request;
- a draft (unpublished) event with a co-creation session;
- an invitation-only event with an invitation sent to an address none of the roles has.
The members-only event gets a co-creation board with an open and a retained idea, and a
sponsorship request on the outsider's registration. A's sessions and ideas are also reached
through B's event slug (the parent/child mismatch: 404).
"""

from local4action.events import services
from local4action.events.models import Invitation, SponsorshipRequest
from local4action.events.tests.factories import (
    make_event,
    make_idea,
    make_registration,
    make_session,
)

INVITATION_TOKEN = "matrix-invitation-token-of-a"
WRONG_TOKEN = "matrix-wrong-token"

# Well-formed bodies; an empty idea reaches the permission check and is then refused (400).
API_BODIES = {
    ("POST", "/api/v1/events/{slug}/registrations"): {},
    ("POST", "/api/v1/events/{slug}/sessions/{id}/ideas"): {"text": ""},
}


def _board(event, author, **fields):
    session = make_session(
        event,
        title="Imagine a billboard in your city",
        kind="co_creation",
        board_open=True,
        billboards=True,
        minutes_from_start=60,
        **fields,
    )
    idea = make_idea(session, author, text="A city that walks")
    retained = make_idea(session, author, text="Local action, global change", status="retained")
    return session, idea, retained


def objects(world) -> dict:
    org_a, editor, outsider = world["org_a"], world["a_editor"], world["outsider"]
    people = world["people"]
    members_event, b_event = world["members_event"], world["b_event"]

    public = make_event(
        slug="events-matrix-public-of-a",
        title="A's public seminar",
        organizers=[org_a],
        sponsorship_budget=2,
    )
    welcome = make_session(public, title="Welcome")
    session, idea, retained = _board(public, editor)
    make_registration(public, people["partner"])
    outsider_registration = make_registration(public, outsider)
    sponsorship = SponsorshipRequest.objects.create(
        registration=outsider_registration, travel=True, justification="Far away."
    )

    members_session, members_idea, members_retained = _board(members_event, editor)
    members_sponsorship = SponsorshipRequest.objects.create(
        registration=members_event.registrations.get(person=outsider),
        lodging=True,
        justification="Far away.",
    )

    draft = make_event(
        slug="events-matrix-draft-of-a", title="A's draft", organizers=[org_a], published=False
    )
    draft_session = make_session(draft, title="Draft board", kind="co_creation", board_open=True)

    invitation_event = make_event(
        slug="events-matrix-invitation-of-a",
        title="A's invitation-only meeting",
        organizers=[org_a],
        visibility="invitation",
    )
    Invitation.objects.create(
        event=invitation_event,
        email="invited-guest@example.org",
        token_hash=services.token_hash(INVITATION_TOKEN),
        invited_by=editor,
    )

    def on(event, pk=None):
        return {"slug": event.slug} if pk is None else {"slug": event.slug, "pk": pk}

    return {
        "events_public": on(public),
        "events_public_session": on(public, welcome.pk),
        "events_public_board": on(public, session.pk),
        "events_public_idea": on(public, idea.pk),
        "events_public_retained_idea": on(public, retained.pk),
        "events_public_sponsorship": on(public, sponsorship.pk),
        "events_members_session": on(members_event, members_session.pk),
        "events_members_idea": on(members_event, members_idea.pk),
        "events_members_retained_idea": on(members_event, members_retained.pk),
        "events_members_sponsorship": on(members_event, members_sponsorship.pk),
        "events_draft_session": on(draft, draft_session.pk),
        "events_invitation_event": on(invitation_event),
        # A's children guessed through B's event.
        "events_session_via_b_event": on(b_event, session.pk),
        "events_idea_via_b_event": on(b_event, idea.pk),
        "events_retained_idea_via_b_event": on(b_event, retained.pk),
        "events_sponsorship_via_b_event": on(b_event, sponsorship.pk),
        "events_invitation": {"token": INVITATION_TOKEN},
        "events_wrong_invitation": {"token": WRONG_TOKEN},
    }
