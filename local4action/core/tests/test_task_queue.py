"""In production, background work goes through Redis to a separate worker."""

import os

import django_rq
import pytest
from rq import SimpleWorker

from local4action.core.models import Notification
from local4action.core.services import notify

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS_TEST_URL}}
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    queue = django_rq.get_queue("default")
    queue.empty()
    yield queue
    queue.empty()


def test_notification_email_is_queued_then_sent_once_by_the_worker(
    user, redis_queue, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[user], kind="membership_approved", context={"organization": "Valongo"})
    assert mailoutbox == []
    assert redis_queue.count == 1

    # The worker runs in-process here (SimpleWorker) so that it shares the test's transaction.
    django_rq.get_worker("default", worker_class=SimpleWorker).work(burst=True)
    assert [m.subject for m in mailoutbox] == ["You have joined Valongo"]
    assert Notification.objects.get().email_sent_at is not None
    assert redis_queue.count == 0
