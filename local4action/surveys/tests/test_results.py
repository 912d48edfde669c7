import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from local4action.accounts.tests.factories import MembershipFactory, OrganizationFactory
from local4action.core.models import RegionalSection
from local4action.core.testing import assert_queries_constant
from local4action.surveys import selectors
from local4action.surveys.answers import clean_answer
from local4action.surveys.models import Answer, AnswerItem, Response
from local4action.surveys.tests.factories import make_question, make_survey, options


def submit(survey, given: dict, *, section=None, kind="", language="en", status="submitted"):
    """A response with its answers, written as the services write them (cleaned values,
    text/number copies, items), without going page by page."""
    n = Response.objects.count()
    response = Response.objects.create(
        survey=survey,
        uniqueness_key=f"test:{n}",
        status=status,
        submitted_at=timezone.now() if status == "submitted" else None,
        section=section,
        organization_kind=kind,
        language=language,
    )
    for question, value in given.items():
        cleaned = clean_answer(question, value)
        answer = Answer.objects.create(
            response=response,
            question=question,
            value=cleaned.value,
            text=cleaned.text,
            number=cleaned.number,
        )
        AnswerItem.objects.bulk_create(
            AnswerItem(answer=answer, question=question, item=item, score=score)
            for item, score in cleaned.items
        )
    return response


@pytest.fixture
def survey(db):
    survey = make_survey(slug="sdg-plans")
    qs = {
        "plan": make_question(survey, kind="single", key="plan", options=options("yes", "no")),
        "tools": make_question(
            survey, kind="multiple", key="tools", options=options("web", "paper", "radio")
        ),
        "priorities": make_question(
            survey, kind="ranking", key="priorities", options=options("water", "energy", "jobs")
        ),
        "rating": make_question(survey, kind="scale", key="rating", scale_min=1, scale_max=5),
        "staff": make_question(survey, kind="number", key="staff"),
        "country": make_question(survey, kind="country", key="country"),
        "goal": make_question(survey, kind="sdg", key="goal"),
        "grid": make_question(
            survey,
            kind="matrix",
            key="grid",
            rows=options("budget", "data"),
            scale_min=1,
            scale_max=3,
        ),
        "comment": make_question(survey, kind="long_text", key="comment"),
        "since": make_question(survey, kind="date", key="since"),
    }
    return survey, qs


def sample(qs, i: int) -> dict:
    """A varied but predictable set of answers."""
    return {
        qs["plan"]: "yes" if i % 4 else "no",
        qs["tools"]: ["web", "paper"] if i % 2 else ["web"],
        qs["priorities"]: ["water", "jobs", "energy"] if i % 2 else ["energy", "water"],
        qs["rating"]: 1 + i % 5,
        qs["staff"]: str(i * 3),
        qs["country"]: ["FR", "SN", "BR"][i % 3],
        qs["goal"]: 1 + i % 17,
        qs["grid"]: {"budget": 1 + i % 3, "data": 3},
        qs["comment"]: f"Comment {i}: {'water' if i % 2 else 'energy'} first",
        qs["since"]: f"2020-0{1 + i % 2}-15",
    }


def by_key(results):
    return {r.question.key: r for r in results.questions}


def counts(result):
    return {row.value: (row.count, row.percent) for row in result.rows}


def test_counts_and_percentages_for_each_kind(survey, secretariat):
    survey, qs = survey
    for i in range(8):
        submit(survey, sample(qs, i))
    submit(survey, {qs["plan"]: "yes"}, status="in_progress")  # never counted
    submit(survey, {qs["plan"]: "no"})  # answered only the first question

    results = selectors.survey_results(user=secretariat, survey=survey)
    found = by_key(results)

    assert results.respondents == 9 and results.submitted == 9 and not results.suppressed
    assert counts(found["plan"]) == {"yes": (6, 66.7), "no": (3, 33.3)}
    assert found["tools"].answered == 8
    assert counts(found["tools"]) == {"web": (8, 100.0), "paper": (4, 50.0), "radio": (0, 0.0)}
    assert counts(found["rating"]) == {
        "1": (2, 25.0),
        "2": (2, 25.0),
        "3": (2, 25.0),
        "4": (1, 12.5),
        "5": (1, 12.5),
    }
    assert counts(found["country"]) == {"FR": (3, 37.5), "SN": (3, 37.5), "BR": (2, 25.0)}
    assert found["country"].rows[0].label == "France"
    goal = counts(found["goal"])
    assert len(goal) == 17 and goal["1"] == (1, 12.5) and goal["9"] == (0, 0.0)
    assert counts(found["since"]) == {"2020-01": (4, 50.0), "2020-02": (4, 50.0)}
    # Ranking: water is ranked by all 8, first by the 4 odd ones; energy first by 4 even.
    ranking = {row["value"]: row for row in found["priorities"].grid}
    assert ranking["water"]["count"] == 8 and ranking["water"]["first"] == 4
    assert ranking["water"]["mean"] == 1.5
    assert ranking["jobs"]["count"] == 4 and ranking["jobs"]["cells"] == [0, 4, 0]
    # Matrix: budget scores 1,2,3,1,2,3,1,2 ; data always 3.
    grid = {row["value"]: row for row in found["grid"].grid}
    assert grid["budget"]["cells"] == [(3, 37.5), (3, 37.5), (2, 25.0)]
    assert grid["data"]["cells"] == [(0, 0.0), (0, 0.0), (8, 100.0)]
    assert grid["data"]["mean"] == 3
    # Numbers 0, 3, …, 21: ten equal bins from 0 to 21, every answer in one bin.
    staff = found["staff"]
    assert staff.answered == 8 and len(staff.rows) == 10
    assert sum(row.count for row in staff.rows) == 8
    assert staff.rows[-1].count == 1  # the maximum falls in the last bin
    assert staff.stats == {"min": "0", "max": "21", "mean": "10.5"}
    assert found["comment"].answered == 8 and not found["comment"].rows
    assert json.loads(found["plan"].chart)["values"] == [6, 3]


def test_a_few_integers_get_one_bin_each(survey, secretariat):
    survey, qs = survey
    for value in ("2", "3", "3", "5"):
        submit(survey, {qs["staff"]: value})
    staff = by_key(selectors.survey_results(user=secretariat, survey=survey))["staff"]
    assert [(row.label, row.count) for row in staff.rows] == [
        ("2", 1),
        ("3", 2),
        ("4", 0),
        ("5", 1),
    ]


def test_filters_count_only_the_selection(survey, secretariat):
    survey, qs = survey
    europe = RegionalSection.objects.get(slug="europe")
    africa = RegionalSection.objects.get(slug="africa")
    for _ in range(3):
        submit(survey, {qs["plan"]: "yes"}, section=europe, kind="local_government")
    submit(survey, {qs["plan"]: "no"}, section=africa, kind="local_government", language="fr")
    submit(survey, {qs["plan"]: "no"}, section=africa, kind="partner", language="fr")

    def plan(**filters):
        results = selectors.survey_results(user=secretariat, survey=survey, **filters)
        return results.respondents, counts(by_key(results)["plan"])

    assert plan(section="europe") == (3, {"yes": (3, 100.0), "no": (0, 0.0)})
    assert plan(section="africa", kind="partner") == (1, {"yes": (0, 0.0), "no": (1, 100.0)})
    assert plan(language="fr") == (2, {"yes": (0, 0.0), "no": (2, 100.0)})
    assert plan(kind="local_government")[0] == 4


@pytest.mark.parametrize("n, shown", [(4, False), (5, True)])
def test_anonymous_surveys_show_nothing_under_five_respondents(db, secretariat, client, n, shown):
    survey = make_survey(anonymous=True)
    plan = make_question(survey, kind="single", key="plan", options=options("yes", "no"))
    text = make_question(survey, kind="short_text", key="why")
    europe = RegionalSection.objects.get(slug="europe")
    for _ in range(n):
        submit(survey, {plan: "yes", text: "Our council decided"}, section=europe)
    submit(survey, {plan: "no"})  # another section: the whole survey has n + 1

    filtered = selectors.survey_results(user=secretariat, survey=survey, section="europe")
    assert filtered.suppressed is not shown
    assert bool(filtered.questions) is shown
    whole = selectors.survey_results(user=secretariat, survey=survey)
    assert not whole.suppressed  # 5 or 6 in all

    client.force_login(secretariat)
    page = client.get(reverse("surveys:results", args=[survey.slug]) + "?section=europe")
    assert ("no result is shown for fewer than 5" in page.content.decode()) is not shown
    answers = client.get(
        reverse("surveys:text_answers", args=[survey.slug, "why"]) + "?section=europe"
    ).content.decode()
    assert ("Our council decided" in answers) is shown


def test_a_survey_that_is_not_anonymous_shows_even_one_response(survey, secretariat):
    survey, qs = survey
    submit(survey, {qs["plan"]: "yes"})
    results = selectors.survey_results(user=secretariat, survey=survey)
    assert not results.suppressed and counts(by_key(results)["plan"])["yes"] == (1, 100.0)


def test_the_response_rate_is_submitted_responses_over_the_audience(survey, secretariat):
    survey, qs = survey
    for _ in range(3):
        MembershipFactory()  # three members of approved organizations
    MembershipFactory(status="requested")  # not (yet) a member
    MembershipFactory(organization=OrganizationFactory(status="pending"))
    submit(survey, {qs["plan"]: "yes"})
    submit(survey, {qs["plan"]: "no"}, status="in_progress")

    assert selectors.audience_size(survey) == 3
    results = selectors.survey_results(user=secretariat, survey=survey)
    assert results.audience == 3 and results.response_rate == 33.3


def test_the_audience_size_follows_each_audience_rule(db, secretariat):
    europe = RegionalSection.objects.get(slug="europe")
    in_europe = OrganizationFactory(regional_section=europe)
    partner = OrganizationFactory(kind="partner")
    MembershipFactory(organization=in_europe)
    MembershipFactory(organization=in_europe)
    MembershipFactory(organization=partner)

    by_sections = make_survey(audience="sections")
    by_sections.audience_sections.add(europe)
    assert selectors.audience_size(by_sections) == 2
    by_org = make_survey(audience="sections", one_per="organization")
    by_org.audience_sections.add(europe)
    assert selectors.audience_size(by_org) == 1
    assert selectors.audience_size(make_survey(audience="kinds", audience_kinds=["partner"])) == 1
    people = make_survey(audience="people")
    people.audience_people.add(secretariat)
    assert selectors.audience_size(people) == 1
    assert selectors.audience_size(make_survey(audience="public")) is None


def read_csv(response) -> list[dict]:
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


def test_the_csv_export_streams_one_row_per_response_with_stable_columns(
    survey, secretariat, client
):
    survey, qs = survey
    qs["plan"].allow_other = True
    qs["plan"].save()
    first = submit(survey, sample(qs, 1))
    submit(survey, {qs["plan"]: "no", qs["comment"]: "=1+1"})
    submit(survey, {qs["plan"]: "yes"}, status="in_progress")

    client.force_login(secretariat)
    response = client.get(reverse("surveys:export_csv", args=[survey.slug]))

    assert response.status_code == 200 and response.streaming
    rows = read_csv(response)
    assert list(rows[0]) == [
        "response",
        "submitted_at",
        "language",
        "section",
        "organization_kind",
        "plan",
        "plan.other",
        "tools",
        "priorities",
        "rating",
        "staff",
        "country",
        "goal",
        "grid.budget",
        "grid.data",
        "comment",
        "since",
    ]
    assert len(rows) == 2
    row = rows[0]
    assert row["response"] == selectors.opaque_id(first.pk) and str(first.pk) != row["response"]
    assert row["tools"] == "web|paper" and row["priorities"] == "water>jobs>energy"
    assert (row["grid.budget"], row["grid.data"], row["staff"]) == ("2", "3", "3")
    assert row["plan"] == "yes" and row["plan.other"] == "" and row["since"] == "2020-02-15"
    assert rows[1]["comment"] == "'=1+1"  # never a formula
    assert str(first.token) not in str(rows)


def test_the_xlsx_export_has_the_same_columns_and_typed_cells(survey, secretariat, client):
    survey, qs = survey
    submit(survey, sample(qs, 2))
    client.force_login(secretariat)
    response = client.get(reverse("surveys:export_xlsx", args=[survey.slug]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, row = [[cell.value for cell in r] for r in sheet.iter_rows()]
    assert header[:6] == [
        "response",
        "submitted_at",
        "language",
        "section",
        "organization_kind",
        "plan",
    ]
    values = dict(zip(header, row, strict=True))
    assert values["staff"] == 6 and values["rating"] == 3 and values["tools"] == "web"
    assert isinstance(values["submitted_at"], datetime.datetime)


def test_exports_are_for_the_secretariat_only(survey, user, client):
    survey, qs = survey
    survey.results_public = True
    survey.save()
    submit(survey, sample(qs, 1))
    client.force_login(user)
    for name in ("export_csv", "export_xlsx"):
        assert client.get(reverse(f"surveys:{name}", args=[survey.slug])).status_code == 403
    client.logout()
    response = client.get(reverse("surveys:export_csv", args=[survey.slug]))
    assert response.status_code == 302


def test_anonymous_exports_never_name_the_respondent(db, secretariat, client, user):
    survey = make_survey(anonymous=True)
    plan = make_question(survey, kind="single", key="plan", options=options("yes", "no"))
    response = submit(survey, {plan: "yes"})
    Response.objects.filter(pk=response.pk).update(respondent=user)  # even if it were kept
    client.force_login(secretariat)
    content = b"".join(
        client.get(reverse("surveys:export_csv", args=[survey.slug])).streaming_content
    ).decode()
    assert user.email not in content and str(user.pk) not in content.split("\n")[1][:3]


def test_who_sees_the_results(survey, secretariat, user, client):
    survey, qs = survey
    submit(survey, sample(qs, 1))
    url = reverse("surveys:results", args=[survey.slug])
    assert client.get(url).status_code == 404
    client.force_login(user)
    assert client.get(url).status_code == 404
    client.force_login(secretariat)
    page = client.get(url)
    assert page.status_code == 200 and 'data-chart="' in page.content.decode()
    assert reverse("surveys:export_csv", args=[survey.slug]) in page.content.decode()

    survey.results_public = True
    survey.save()
    client.logout()
    page = client.get(url).content.decode()
    assert "Localizing the SDGs" in page
    assert reverse("surveys:export_csv", args=[survey.slug]) not in page
    survey.published = False
    survey.save()
    assert client.get(url).status_code == 404


def test_free_texts_are_searched_and_paginated(survey, secretariat, client):
    survey, qs = survey
    for i in range(60):
        submit(survey, {qs["comment"]: f"Comment {i}: {'water' if i % 2 else 'energy'} first"})
    client.force_login(secretariat)
    url = reverse("surveys:text_answers", args=[survey.slug, "comment"])
    page = client.get(url).content.decode()
    assert "60 answers" in page and "Page 1 of 2" in page
    page = client.get(url + "?q=WATER").content.decode()
    assert "30 answers" in page and "energy" not in page
    assert (
        client.get(reverse("surveys:text_answers", args=[survey.slug, "plan"])).status_code == 404
    )


def test_open_data_only_for_public_results(survey, client):
    survey, qs = survey
    for i in range(6):
        submit(survey, sample(qs, i))
    url = reverse("surveys:open_data", args=[survey.slug])
    assert client.get(url).status_code == 404
    survey.results_public = True
    survey.save()
    data = client.get(url).json()
    assert data["licence"]["name"] == "CC BY 4.0" and data["respondents"] == 6
    assert "questions" in data["fields"]
    questions = {q["key"]: q for q in data["questions"]}
    assert questions["plan"]["counts"][0] == {
        "value": "yes",
        "label": "yes",
        "count": 4,
        "percent": 66.7,
    }
    assert questions["comment"]["answered"] == 6 and "counts" not in questions["comment"]
    assert "Comment 1" not in json.dumps(data)
    survey.published = False
    survey.save()
    assert client.get(url).status_code == 404


def test_open_data_of_an_anonymous_survey_hides_small_groups(db, client):
    survey = make_survey(anonymous=True, results_public=True)
    plan = make_question(survey, kind="single", key="plan", options=options("yes", "no"))
    for _ in range(4):
        submit(survey, {plan: "yes"})
    data = client.get(reverse("surveys:open_data", args=[survey.slug])).json()
    assert data["suppressed"] is True and data["questions"] == []


def test_the_results_page_reads_a_constant_number_of_queries(survey, secretariat, client):
    survey, qs = survey
    client.force_login(secretariat)
    made = []

    def add_rows(n):
        for _ in range(n):
            made.append(submit(survey, sample(qs, len(made))))

    url = reverse("surveys:results", args=[survey.slug])
    assert_queries_constant(client, url, add_rows, rows=45)  # 2, then 47 responses
    assert_queries_constant(client, url + "?section=europe&language=en", add_rows, rows=5)


def test_the_csv_export_reads_answers_per_chunk(survey, secretariat):
    survey, qs = survey
    for i in range(5):
        submit(survey, sample(qs, i))
    header, rows = selectors.response_rows(user=secretariat, survey=survey, chunk_size=2)
    staff = header.index("staff")
    assert [row[staff] for row in rows] == [Decimal(i * 3) for i in range(5)]
