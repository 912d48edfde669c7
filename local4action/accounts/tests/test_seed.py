from django.core.management import call_command

from local4action.accounts.models import Membership, Organization, User
from local4action.accounts.permissions import is_secretariat
from local4action.core.models import AuditEvent


def test_seed_demo_is_idempotent_and_its_people_can_log_in(client, db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    counts = (
        Organization.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    )
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (
        Organization.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
    assert Organization.objects.values("regional_section").distinct().count() >= 6
    assert client.login(email="staff@local4action.test", password="local4action-demo")
    assert is_secretariat(User.objects.get(email="staff@local4action.test"))
