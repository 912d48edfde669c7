"""Objects for the permission matrix's portal rows (see core/tests/test_permission_matrix.py)."""


def objects(world) -> dict:
    from django.core import signing
    from django.utils import timezone

    from local4action.monitoring.tests.factories import make_hub
    from local4action.portal import services
    from local4action.portal.models import Newsletter, Subscriber

    draft = world["draft_application"].initiative
    submitted = world["submitted_application"].initiative
    withdrawn, _editor = make_hub(
        organization=world["org_a"], title="A's withdrawn initiative", status="withdrawn"
    )

    pending = Subscriber.objects.create(email="pending@example.org", language="en")
    confirmed = Subscriber.objects.create(
        email="confirmed@example.org", language="en", confirmed_at=timezone.now()
    )
    # Well formed, signed with another key: what someone guessing a link would send.
    forged = signing.dumps(
        [confirmed.pk, confirmed.email], key="not-our-secret", salt=services.UNSUBSCRIBE_SALT
    )
    newsletter = Newsletter.objects.create(
        subject_en="Matrix news", intro_en="News.", created_by=world["people"]["staff"]
    )
    return {
        # The map's popups take an initiative's id; embeds its slug ("hub" and
        # "draft_initiative" are the world's).
        "portal_hub_key": {"key": str(world["hub"].pk)},
        "portal_draft_key": {"key": str(draft.pk)},
        "portal_submitted_key": {"key": str(submitted.pk)},
        "portal_withdrawn_key": {"key": str(withdrawn.pk)},
        "portal_submitted_initiative": {"slug": submitted.slug},
        "portal_withdrawn_initiative": {"slug": withdrawn.slug},
        "portal_chart": {"name": "sdg-coverage"},
        "portal_confirm_token": {"token": services.confirm_token(pending)},
        "portal_unsubscribe_token": {"token": services.unsubscribe_token(confirmed)},
        "portal_forged_token": {"token": forged},
        "portal_newsletter": {"pk": newsletter.pk},
    }
