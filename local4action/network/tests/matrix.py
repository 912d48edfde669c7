"""Objects for the permission matrix's network rows (see core/tests/test_permission_matrix.py).

A third organization C (neither A nor B: B's admin is an outsider to every connection here)
with public HUBs; connections between A's HUB and C's: a request from A, a request to A, an
accepted one; a request from C to an initiative of A that has since been withdrawn (no longer
public: outsiders must not learn that it exists); offers and needs of A's HUB and draft."""

# The body's slugs are filled in by objects(): A's HUB asks a HUB of C it has no connection
# with (the test module holds this very dict: it copies API_BODIES' values, not their contents).
API_BODIES = {
    ("POST", "/api/v1/connections"): {
        "source": "set by objects()",
        "target": "set by objects()",
        "kind": "peer_learning",
        "message": "Matrix.",
    },
}

PAGE_DATA = {"network:decide": {"accept": "1"}}


def objects(world) -> dict:
    import datetime

    from django.utils import timezone

    from local4action.accounts.tests.factories import OrganizationFactory
    from local4action.initiatives.models import Initiative
    from local4action.network.models import Connection, ExchangeItem

    org_c = OrganizationFactory(name="Organization C", slug="organization-c")
    hub = world["hub"]
    draft = world["draft_application"].initiative
    start = timezone.localdate() - datetime.timedelta(days=365)

    def initiative(organization, slug, status="labelled"):
        return Initiative.objects.create(
            title=f"Matrix {slug}",
            slug=slug,
            lead_organization=organization,
            status=status,
            labelled_at=timezone.now() if status == "labelled" else None,
            start_date=start,
            end_date=start + datetime.timedelta(days=730),
            summary="A HUB.",
        )

    c_free, c_asked, c_asking, c_connected, c_other = (
        initiative(org_c, f"network-matrix-c-{n}") for n in range(1, 6)
    )
    a_withdrawn = initiative(world["org_a"], "network-matrix-a-withdrawn", status="withdrawn")

    def connection(source, target, status="requested"):
        return Connection.objects.create(
            source=source, target=target, kind="peer_learning", status=status
        )

    def item(of):
        return ExchangeItem.objects.create(
            initiative=of, side="offer", category="training", title="Matrix training"
        )

    body = API_BODIES[("POST", "/api/v1/connections")]
    body["source"], body["target"] = hub.slug, c_free.slug
    return {
        "network_c_hub": {"slug": c_free.slug},
        "network_request_from_a": {"pk": connection(hub, c_asked).pk},
        "network_request_to_a": {"pk": connection(c_asking, hub).pk},
        "network_accepted": {"pk": connection(hub, c_connected, status="accepted").pk},
        # C asked A's initiative to connect, and A withdrew that initiative since.
        "network_request_to_a_withdrawn": {"pk": connection(c_other, a_withdrawn).pk},
        "network_item_of_hub": {"pk": item(hub).pk},
        "network_item_of_draft": {"pk": item(draft).pk},
    }
