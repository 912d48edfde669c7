import codecs
import csv
import io
import zoneinfo
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from local4action.accounts.tests.factories import OrganizationFactory
from local4action.calls import selectors, services
from local4action.calls.tests.factories import (
    make_draft,
    make_review,
    make_reviewer,
    make_submitted,
    make_team,
)
from local4action.core.testing import count_queries

HYPERLINK = '=HYPERLINK("http://evil.example/steal","Click for details")'


def _submitted(call, *, organization, title, support=None):
    application = make_draft(call, organization=organization, title=title)
    if support:
        application = services.application_save_draft(
            actor=application.created_by,
            application=application,
            version=application.version,
            support_requested=support,
        )
    return services.application_submit(actor=application.created_by, application=application)


@pytest.fixture
def scored_call(call, secretariat):
    """Quebec: two reviews and a decision. The formula: two reviews that disagree, two
    criteria below their minimum. A draft without scores."""
    quebec = _submitted(
        call,
        organization=OrganizationFactory(name="Municipalité de Québec", country="CA"),
        title="Participación para todos",
        support=["seed_funding", "expertise"],
    )
    make_review(quebec, staff=secretariat, scores=[5, 4, 4, 3, 5, 4])
    make_review(quebec, staff=secretariat, scores=[3, 3, 4, 2, 3, 3], recommendation="accompanied")
    services.application_decide(
        actor=secretariat,
        application=quebec,
        decision="labelled",
        reason="-1 on the timeline, strong elsewhere",
    )
    formula = _submitted(
        call, organization=OrganizationFactory(name="@Ville d'Avignon"), title=HYPERLINK
    )
    make_review(formula, staff=secretariat, scores=[0, 1, 2, 2, 2, 2], recommendation="declined")
    make_review(formula, staff=secretariat, scores=[3, 2, 2, 2, 2, 2])
    draft = make_draft(call, title="Ciudades que cuidan")
    return {"quebec": quebec, "formula": formula, "draft": draft}


def _csv(response) -> list[list[str]]:
    assert response.content.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def _xlsx(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def test_staff_download_the_csv_with_the_ranking_scores(client, secretariat, call, scored_call):
    client.force_login(secretariat)

    response = client.get(reverse("calls:export_csv", args=[call.slug]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{call.slug}-applications.csv"'
    )
    header, *rows = _csv(response)
    criteria, ranking = selectors.call_ranking(user=secretariat, call=call)
    assert header[:10] == [
        "ID",
        "Initiative",
        "Lead organization",
        "Country",
        "Status",
        "Submitted at (Europe/Madrid)",
        "Support requested",
        "Submitted reviews",
        "Weighted score",
        "Spread",
    ]
    assert header[10:16] == [c.label for c in criteria]
    assert header[16:] == ["Below minimum", "Strong disagreement", "Decision reason"]
    # Ranked applications first, in ranking order, then the others.
    assert [int(row[0]) for row in rows] == [
        *(r.application.pk for r in ranking),
        scored_call["draft"].pk,
    ]
    by_id = {int(row[0]): row for row in rows}
    for ranked in ranking:
        row = by_id[ranked.application.pk]
        assert row[8] == str(ranked.weighted)
        assert row[9] == str(ranked.spread)
        assert row[10:16] == [str(ranked.criterion_means[c.pk]) for c in criteria]

    quebec = scored_call["quebec"]
    quebec.refresh_from_db()
    submitted_at = timezone.localtime(quebec.submitted_at, zoneinfo.ZoneInfo("Europe/Madrid"))
    assert by_id[quebec.pk] == [
        str(quebec.pk),
        "Participación para todos",
        "Municipalité de Québec",
        "Canada",
        "Labelled HUB",
        submitted_at.isoformat(timespec="seconds"),
        "Seed funding; International expertise",
        "2",
        "3.58",
        "1.17",
        "4.00",
        "3.50",
        "4.00",
        "2.50",
        "4.00",
        "3.50",
        "",
        "no",
        "'-1 on the timeline, strong elsewhere",
    ]
    formula = by_id[scored_call["formula"].pk]
    assert formula[8:10] == ["1.83", "0.67"]
    assert formula[16:18] == [f"{criteria[0].label}; {criteria[1].label}", "yes"]
    draft = by_id[scored_call["draft"].pk]
    assert draft[4:] == ["Application: draft", "", "", "0", "", "", *[""] * 6, "", "", ""]


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralized(
    client, secretariat, call, scored_call
):
    client.force_login(secretariat)

    header, *rows = _csv(client.get(reverse("calls:export_csv", args=[call.slug])))

    row = next(r for r in rows if r[0] == str(scored_call["formula"].pk))
    assert row[1] == "'" + HYPERLINK
    assert row[2] == "'@Ville d'Avignon"
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


def test_staff_download_the_xlsx_with_the_same_rows(client, secretariat, call, scored_call):
    client.force_login(secretariat)

    response = client.get(reverse("calls:export_xlsx", args=[call.slug]))

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="{call.slug}-applications.xlsx"'
    )
    sheet = _xlsx(response)
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.column_dimensions["B"].width >= len("Participación para todos")
    assert sheet.column_dimensions["B"].width <= 60
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    csv_header, *csv_rows = _csv(client.get(reverse("calls:export_csv", args=[call.slug])))
    assert header == csv_header
    assert [r[0] for r in rows] == [int(r[0]) for r in csv_rows]
    criteria, ranking = selectors.call_ranking(user=secretariat, call=call)
    by_id = {r[0]: r for r in rows}
    for ranked in ranking:
        row = by_id[ranked.application.pk]
        assert Decimal(str(row[8])) == ranked.weighted
        assert Decimal(str(row[9])) == ranked.spread
        assert [Decimal(str(v)) for v in row[10:16]] == [
            ranked.criterion_means[c.pk] for c in criteria
        ]
    quebec = by_id[scored_call["quebec"].pk]
    assert quebec[1:4] == ["Participación para todos", "Municipalité de Québec", "Canada"]
    assert quebec[7:10] == [2, 3.58, 1.17]
    first_mean = next(c for c in sheet[2] if c.column == 11)
    assert first_mean.number_format == "0.00"
    assert quebec[18] == "-1 on the timeline, strong elsewhere"


def test_xlsx_text_that_looks_like_a_formula_is_written_as_text(
    client, secretariat, call, scored_call
):
    client.force_login(secretariat)

    sheet = _xlsx(client.get(reverse("calls:export_xlsx", args=[call.slug])))

    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == scored_call["formula"].pk)
    assert row[1].value == HYPERLINK
    assert row[1].data_type == "s"
    assert row[2].value == "@Ville d'Avignon" and row[2].data_type == "s"
    assert not any(cell.data_type == "f" for r in sheet.iter_rows() for cell in r)


@pytest.mark.parametrize("name", ["calls:export_csv", "calls:export_xlsx"])
def test_people_outside_the_secretariat_are_refused(
    client, call, scored_call, user, reviewer, team, name
):
    _, admin, _ = team
    for person in (user, reviewer, admin, scored_call["quebec"].created_by):
        client.force_login(person)
        assert client.get(reverse(name, args=[call.slug])).status_code == 403


@pytest.mark.parametrize("name", ["calls:export_csv", "calls:export_xlsx"])
def test_anonymous_visitors_are_sent_to_log_in(client, call, name):
    url = reverse(name, args=[call.slug])

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))
    assert "next=" in response.url


def test_an_unknown_call_is_not_found(client, secretariat):
    client.force_login(secretariat)

    assert client.get(reverse("calls:export_csv", args=["no-such-call"])).status_code == 404


@pytest.mark.parametrize("name", ["calls:export_csv", "calls:export_xlsx"])
def test_the_export_query_count_does_not_grow_with_the_applications(
    client, secretariat, call, name
):
    reviewers = [make_reviewer(), make_reviewer()]

    def add_applications(n):
        for _ in range(n):
            organization, _, editor = make_team()
            application = make_submitted(call, editor=editor, organization=organization)
            for reviewer in reviewers:
                make_review(application, staff=secretariat, reviewer=reviewer)

    client.force_login(secretariat)
    url = reverse(name, args=[call.slug])
    add_applications(3)
    few = count_queries(client, url)
    add_applications(9)
    many = count_queries(client, url)

    assert many == few
    assert len(_csv(client.get(reverse("calls:export_csv", args=[call.slug])))) == 13
