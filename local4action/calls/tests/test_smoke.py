from local4action.calls import selectors, services
from local4action.calls.tests.factories import make_review, make_submitted


def test_a_submitted_application_can_be_reviewed_ranked_and_labelled(call, secretariat):
    application = make_submitted(call)
    make_review(application, staff=secretariat, scores=[5, 4, 4, 3, 5, 4])
    make_review(
        application, staff=secretariat, scores=[3, 3, 4, 2, 3, 3], recommendation="accompanied"
    )
    criteria, rows = selectors.call_ranking(user=secretariat, call=call)
    assert rows[0].application == application and rows[0].reviews == 2
    services.application_decide(
        actor=secretariat,
        application=application,
        decision="labelled",
        reason="Strong on every criterion",
    )
    application.initiative.refresh_from_db()
    assert application.initiative.status == "labelled"
