"""Objects for the permission matrix's surveys rows (see core/tests/test_permission_matrix.py).

The world's members-only survey (results not public) has one short-text question. Added here:
the same survey's first page as the API numbers it (from 1), a survey whose results are public,
and a members-only survey that A's member (org_member) alone has answered and submitted."""

API_BODIES = {
    ("PUT", "/api/v1/surveys/{slug}/response/pages/{number}"): {"answers": {}},
}


def objects(world) -> dict:
    from local4action.surveys import services
    from local4action.surveys.tests.factories import make_question, make_survey

    survey = world["members_survey"]
    question = survey.questions.order_by("pk").first()

    public_results = make_survey(
        slug="matrix-public-results", audience="members", results_public=True
    )
    public_question = make_question(public_results)

    answered = make_survey(slug="matrix-answered", audience="members", one_per="person")
    make_question(answered)
    response = services.response_start(survey=answered, user=world["people"]["org_member"])
    services.response_submit(response=response)

    return {
        "surveys_question": {"pk": question.pk},
        "surveys_members_text_answers": {"slug": survey.slug, "key": question.key},
        "surveys_public_text_answers": {"slug": public_results.slug, "key": public_question.key},
        "surveys_members_api_page": {"slug": survey.slug, "number": 1},
        "surveys_answered_by_member": {"slug": answered.slug},
    }
