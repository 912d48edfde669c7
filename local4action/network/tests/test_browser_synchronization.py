"""Synchronization end to end, in a real Chromium: the team of a French initiative finds a
Spanish one among its related initiatives (computed in the background when both were saved),
asks it to connect; the Spanish team accepts from its HUB page and both pages show the
connection. In the exchange space the Spanish editor starts a discussion about their
initiative, the French editor replies and the Spanish editor is emailed in Spanish; the
Spanish editor reports the reply, the secretariat hides it with a reason and the reason shows
in its place. axe finds no serious problem on the related page, the connect form and the
moderation queue."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from local4action.accounts.tests.factories import MembershipFactory, UserFactory
from local4action.calls.tests.factories import make_team
from local4action.core.testing import axe_violations, log_in
from local4action.exchange.models import Follow, Post, Report, Thread
from local4action.initiatives.models import Initiative
from local4action.network.choices import ConnectionStatus
from local4action.network.models import Connection, Relation

pytestmark = pytest.mark.browser

LYON = "Mobilité durable à Lyon"
SEVILLA = "Movilidad sostenible en Sevilla"
WELLS = "Clean water for rural schools"
REPLY = "Nous avons fermé trois rues aux voitures devant les écoles."
HIDDEN_REASON = "Personal details of a third person"


def initiative(title: str, summary: str, language: str, organization) -> Initiative:
    """A public HUB; saving it computes its related initiatives (tasks run inline)."""
    return Initiative.objects.create(
        title=title,
        slug=f"sync-{Initiative.objects.count() + 1}",
        summary=summary,
        language=language,
        lead_organization=organization,
        status="labelled",
        labelled_at="2025-01-01T00:00Z",
    )


def test_related_initiatives_connect_then_discuss_and_moderate(new_page, reference_data):
    # Given two HUBs of two cities on the same topic, in French and in Spanish, and a third
    # one on another topic; each team has an editor, the Spanish one reads Spanish.
    lyon_org, _lyon_admin, _ = make_team()
    louise = MembershipFactory(
        organization=lyon_org, role="editor", user__name="Louise Martin"
    ).user
    sevilla_org, _sevilla_admin, _ = make_team()
    sofia = MembershipFactory(
        organization=sevilla_org,
        role="editor",
        user__name="Sofía Romero",
        user__language="es",
    ).user
    staff = UserFactory(roles={"secretariat"}, name="Sam Secretariat")
    lyon = initiative(
        LYON,
        "Des pistes cyclables sécurisées, des bus électriques et des rues apaisées pour "
        "réduire la place de la voiture et la pollution de l'air en ville.",
        "fr",
        lyon_org,
    )
    initiative(
        WELLS,
        "Wells, rainwater tanks and hand-washing stations in village schools, with training "
        "for teachers and parents on hygiene.",
        "en",
        make_team()[0],
    )
    sevilla = initiative(
        SEVILLA,
        "Carriles bici seguros, autobuses eléctricos y calles tranquilas para reducir el uso "
        "del coche y la contaminación del aire en la ciudad.",
        "es",
        sevilla_org,
    )
    # The background computation ranked the Spanish initiative first for the French one.
    assert Relation.objects.filter(initiative=lyon).order_by("-score").first().other == sevilla

    # When Louise opens her HUB page, the Spanish initiative is among the related ones.
    first = log_in(new_page, louise)
    first.goto(lyon.get_absolute_url())
    expect(first.locator("#related")).to_contain_text(SEVILLA)
    first.locator("#related").get_by_role(
        "link", name="All related initiatives, with the reasons"
    ).click()
    expect(first.get_by_role("heading", level=1)).to_have_text("Related initiatives")
    cards = first.locator("ol.related-list > li")
    expect(cards.first).to_contain_text(SEVILLA)
    expect(cards.first).to_contain_text("Similar description")
    expect(cards.nth(1)).to_contain_text(WELLS)
    assert axe_violations(first) == []

    # She opens it and asks to connect, with a kind and a message.
    cards.first.get_by_role("link", name=SEVILLA).click()
    expect(first.get_by_role("heading", level=1)).to_have_text(SEVILLA)
    first.get_by_role("link", name=re.compile("^Connect")).click()
    expect(first.get_by_role("heading", level=1)).to_have_text(f"Connect with {SEVILLA}")
    assert axe_violations(first) == []
    first.get_by_label("Kind of connection").select_option("peer_learning")
    first.get_by_label("Message").fill("¿Podemos comparar nuestras zonas de bajas emisiones?")
    first.get_by_role("button", name="Send the request").click()
    expect(first.locator(".messages")).to_contain_text("Your request has been sent")
    connection = Connection.objects.get()
    assert (connection.source, connection.target) == (lyon, sevilla)
    assert (connection.kind, connection.status) == ("peer_learning", ConnectionStatus.REQUESTED)

    # Sofía (her pages are in Spanish) sees the request on her HUB page and accepts it.
    second = log_in(new_page, sofia)
    second.goto(sevilla.get_absolute_url())
    expect(second.locator("html")).to_have_attribute("lang", "es")
    waiting = second.locator("#connections form[action$='/decide/']").locator("xpath=..")
    expect(waiting).to_contain_text(LYON)
    expect(waiting).to_contain_text("zonas de bajas emisiones")
    waiting.locator("button[name=accept][value='1']").click()
    expect(second.locator(".messages")).to_be_visible()
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.ACCEPTED
    # Then both HUB pages show the connection.
    expect(second.locator("#connections .connection-list")).to_contain_text(LYON)
    expect(second.locator("#connections form[action$='/decide/']")).to_have_count(0)
    first.goto(lyon.get_absolute_url())
    expect(first.locator("#connections .connection-list")).to_contain_text(SEVILLA)

    # In the exchange space, Sofía starts a discussion about her initiative (and follows it).
    second.locator(f"#network a[href='/exchange/about/initiative/{sevilla.pk}/']").click()
    second.locator("#id_title").fill("Zonas de bajas emisiones")
    second.locator("#id_body").fill("¿Cómo habéis explicado las nuevas reglas a los vecinos?")
    second.locator("form[action*='/exchange/new/'] button[type=submit]").click()
    expect(second.get_by_role("heading", level=1)).to_have_text("Zonas de bajas emisiones")
    thread = Thread.objects.get()
    assert thread.initiative == sevilla
    assert Follow.objects.filter(thread=thread, user=sofia).exists()

    # Louise finds it from the Spanish initiative's page and replies to the message.
    mail.outbox.clear()
    first.goto(sevilla.get_absolute_url())
    first.get_by_role(
        "link", name="Discussions about this initiative in the exchange space"
    ).click()
    first.get_by_role("link", name="Zonas de bajas emisiones").click()
    box = first.locator(".reply-box").first
    box.locator("summary").click()
    box.get_by_label("Message").fill(REPLY)
    box.get_by_role("button", name="Send the reply").click()
    expect(first.locator(".messages")).to_contain_text("Your message is posted.")
    reply = Post.objects.get(author=louise)
    assert reply.parent == thread.posts.get(author=sofia)

    # Sofía, who follows the thread, is emailed at once, in Spanish.
    assert [email.to for email in mail.outbox] == [[sofia.email]]
    email = mail.outbox[0]
    assert email.subject == "Nuevo mensaje en «Zonas de bajas emisiones»"
    assert "Louise Martin ha escrito en el debate «Zonas de bajas emisiones»" in email.body
    assert REPLY in email.body
    assert "Leer y responder:" in email.body

    # Sofía reports the reply with a reason.
    second.goto(thread.get_absolute_url())
    article = second.locator(f"#post-{reply.pk}")
    expect(article).to_contain_text(REPLY)
    # Her page is in Spanish, down to the help of the attachments field.
    expect(second.locator("main")).to_contain_text("Hasta 3 archivos")
    article.locator(".post-actions details summary").click()
    article.locator(f"#report-reason-{reply.pk}").fill("Da la dirección de un vecino.")
    article.locator("form[action$='/report/'] button[type=submit]").click()
    expect(second.locator(".messages")).to_be_visible()
    assert Report.objects.get().reporter == sofia

    # The secretariat hides it from the moderation queue (on a phone), with a reason.
    third = log_in(new_page, staff, viewport={"width": 360, "height": 740})
    third.goto("/manage/exchange/")
    row = third.locator(f"#reported-{reply.pk}")
    expect(row).to_contain_text("Da la dirección de un vecino.")
    # The stacked row keeps the message's title and text together, beside its label.
    title, text = row.locator("td").first.locator("p").all()[:2]
    assert title.bounding_box()["x"] == text.bounding_box()["x"]
    assert axe_violations(third) == []
    row.get_by_label("Reason shown in place of the message").fill(HIDDEN_REASON)
    row.get_by_role("button", name="Hide the message").click()
    expect(third.locator(".messages")).to_contain_text("The message is hidden")
    reply.refresh_from_db()
    assert reply.hidden_at is not None and reply.hidden_reason == HIDDEN_REASON

    # Sofía now sees the reason in place of the message.
    second.reload()
    article = second.locator(f"#post-{reply.pk}")
    expect(article).to_contain_text(HIDDEN_REASON)
    expect(article).not_to_contain_text(REPLY)
    expect(second.locator("main")).not_to_contain_text(REPLY)
