"""The platform roles exist as groups; the secretariat's group carries the admin
permissions it needs. Permissions only exist after migrate, hence post_migrate."""

from .choices import PlatformRole

SECRETARIAT_PERMISSIONS = {
    "core": ["regionalsection", "axis", "policyarea"],
    "accounts": ["organization", "membership"],
    "calls": ["call", "criterion", "question", "conflictofinterest"],
    "initiatives": ["initiative", "initiativetranslation", "location"],
    "workplan": ["workplan", "pillar", "section", "action", "actionupdate"],
    "library": [
        "resource",
        "resourcetranslation",
        "goodpractice",
        "resourcefile",
        "resourcelink",
        "collection",
        "collectionitem",
    ],
}
SECRETARIAT_VIEW_ONLY = {
    "core": ["auditevent"],
    "accounts": ["user"],
    "calls": ["application", "review"],
}


def ensure_role_groups(using="default", **kwargs):
    from django.contrib.auth.models import Group, Permission

    for role in PlatformRole.values:
        Group.objects.using(using).get_or_create(name=role)
    secretariat = Group.objects.using(using).get(name=PlatformRole.SECRETARIAT)
    wanted = []
    for app_label, models in SECRETARIAT_PERMISSIONS.items():
        wanted += Permission.objects.using(using).filter(
            content_type__app_label=app_label, content_type__model__in=models
        )
    for app_label, models in SECRETARIAT_VIEW_ONLY.items():
        wanted += Permission.objects.using(using).filter(
            content_type__app_label=app_label,
            content_type__model__in=models,
            codename__startswith="view_",
        )
    secretariat.permissions.add(*wanted)
