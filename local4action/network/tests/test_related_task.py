"""Related initiatives are computed in the background after an initiative changes: the signals
enqueue the task on commit (run inline in tests), once per transaction, and a failure never
undoes the save."""

import pytest
from django.core.management import call_command
from django.db import transaction

from local4action.accounts.tests.factories import OrganizationFactory
from local4action.core.models import Goal, PolicyArea, Target
from local4action.initiatives.models import Initiative, InitiativeTranslation
from local4action.initiatives.services import initiative_update
from local4action.network import services, signals, similarity, tasks
from local4action.network.models import InitiativeVector, Relation

pytestmark = pytest.mark.django_db


class _Recorder:
    """Stands for the task: records what is enqueued (or fails as a queue that is down)."""

    def __init__(self, enqueued, fail=False):
        self.enqueued, self.fail = enqueued, fail

    def enqueue(self, initiative_id):
        if self.fail:
            raise ConnectionError("redis is down")
        self.enqueued.append(initiative_id)


def _initiative(title, summary, *, status="labelled", organization=None, **fields):
    return Initiative.objects.create(
        title=title,
        summary=summary,
        slug=f"i-{Initiative.objects.count() + 1}",
        lead_organization=organization or OrganizationFactory(),
        status=status,
        labelled_at="2025-01-01T00:00Z" if status == "labelled" else None,
        **fields,
    )


def test_saving_an_initiative_computes_its_related_ones_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        bikes = _initiative("Safe cycling lanes", "Protected bike lanes to schools.")
    with django_capture_on_commit_callbacks(execute=True):
        velo = _initiative("Pistes cyclables", "Des pistes cyclables sécurisées vers les écoles.")
    assert InitiativeVector.objects.filter(initiative=velo).exists()
    assert list(Relation.objects.filter(initiative=velo).values_list("other", flat=True)) == [
        bikes.pk
    ]
    # Symmetric: the older initiative now lists the newer one too.
    assert list(Relation.objects.filter(initiative=bikes).values_list("other", flat=True)) == [
        velo.pk
    ]


def test_nothing_runs_before_commit_nor_after_a_rollback(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        try:
            with transaction.atomic():
                _initiative("Water kiosks", "Drinking water for every household.")
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    assert not InitiativeVector.objects.exists()


def test_many_changes_in_one_transaction_make_one_refresh(
    django_capture_on_commit_callbacks, monkeypatch
):
    enqueued = []
    monkeypatch.setattr(tasks, "related_refresh", _Recorder(enqueued))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            initiative = _initiative("Compost", "Compost for every home.")
            initiative_update(
                initiative=initiative,
                data={
                    "summary": "Compost and recycling for every home.",
                    "goals": [Goal.objects.get(number=12)],
                    "targets": [Target.objects.get(code="12.5")],
                    "policy_areas": list(PolicyArea.objects.all()[:1]),
                    "translations": {"fr": {"title": "Compost", "summary": "Du compost."}},
                },
            )
    # Other derived data (the catalogue's data version) may wait for the commit too.
    assert (
        sum(getattr(callback, "run", None) is signals._enqueue_all for callback in callbacks) == 1
    )
    assert enqueued == [initiative.pk]


@pytest.mark.parametrize("change", ["translation", "targets", "goals", "policy_areas", "status"])
def test_each_kind_of_change_schedules_a_refresh(
    change, django_capture_on_commit_callbacks, monkeypatch
):
    enqueued = []
    monkeypatch.setattr(tasks, "related_refresh", _Recorder(enqueued))
    with django_capture_on_commit_callbacks(execute=True):
        initiative = _initiative("Compost", "Compost for every home.")
    enqueued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        if change == "translation":
            InitiativeTranslation.objects.create(
                initiative=initiative, language="es", title="Compost", summary="Compost."
            )
        elif change == "targets":
            initiative.targets.add(Target.objects.get(code="12.5"))
        elif change == "goals":
            Goal.objects.get(number=12).initiative_set.add(initiative)  # from the other side
        elif change == "policy_areas":
            initiative.policy_areas.set(PolicyArea.objects.all()[:2])
        else:
            initiative.status = "withdrawn"
            initiative.save(update_fields=["status", "updated_at"])
    assert enqueued == [initiative.pk]


def test_a_save_that_touches_nothing_watched_schedules_nothing(
    django_capture_on_commit_callbacks, monkeypatch
):
    enqueued = []
    monkeypatch.setattr(tasks, "related_refresh", _Recorder(enqueued))
    with django_capture_on_commit_callbacks(execute=True):
        initiative = _initiative("Compost", "Compost for every home.")
    enqueued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        initiative.save(update_fields=["website"])
    assert enqueued == []


def test_a_failing_refresh_never_breaks_the_save(django_capture_on_commit_callbacks, monkeypatch):
    def broken(initiative, engine=None):
        raise RuntimeError("the model is gone")

    monkeypatch.setattr(services, "relations_refresh", broken)
    with django_capture_on_commit_callbacks(execute=True):
        initiative = _initiative("Compost", "Compost for every home.")
    assert Initiative.objects.filter(pk=initiative.pk).exists()


def test_a_queue_that_is_down_never_breaks_the_save(
    django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(tasks, "related_refresh", _Recorder(None, fail=True))
    with django_capture_on_commit_callbacks(execute=True):
        initiative = _initiative("Compost", "Compost for every home.")
    assert Initiative.objects.filter(pk=initiative.pk).exists()


def test_the_task_of_a_deleted_initiative_does_nothing():
    assert tasks.related_refresh.call(123456) == 0


def test_unchanged_text_is_not_embedded_again(monkeypatch):
    initiative = _initiative("Compost", "Compost for every home.")
    engine = similarity.engine()
    calls = []
    real = engine.embed

    def counting(texts):
        calls.append(texts)
        return real(texts)

    monkeypatch.setattr(engine, "embed", counting)
    services.relations_refresh(initiative)
    services.relations_refresh(initiative)
    initiative.status = "accompanied"  # not the text
    services.relations_refresh(initiative)
    assert len(calls) == 1
    initiative.summary = "Compost and recycling for every home."
    services.relations_refresh(initiative)
    assert len(calls) == 2


def test_schedule_outside_a_transaction_runs_at_once(monkeypatch):
    enqueued = []
    monkeypatch.setattr(tasks, "related_refresh", _Recorder(enqueued))
    monkeypatch.setattr(
        transaction, "get_connection", lambda: type("C", (), {"in_atomic_block": False})()
    )
    monkeypatch.setattr(transaction, "on_commit", lambda func, robust=False: func())
    signals.schedule(42)
    assert enqueued == [42]


def test_compute_related_command(capsys):
    water = _initiative("Drinking water", "Drinking water network for every household.")
    agua = _initiative("Agua potable", "Red de agua potable para cada hogar.")
    _initiative("Draft water", "Drinking water.", status="draft")
    call_command("compute_related")
    out = capsys.readouterr().out
    assert "Embedded 3 initiatives" in out
    assert "2 public initiatives" in out
    assert Relation.objects.filter(initiative=water, other=agua).exists()
    call_command("compute_related")  # nothing left to do
    assert "Embedded 0 initiatives" in capsys.readouterr().out
    Relation.objects.all().delete()
    call_command("compute_related", "--all")
    out = capsys.readouterr().out
    assert "2 public initiatives (2 relations in all)" in out
