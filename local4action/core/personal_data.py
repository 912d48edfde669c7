"""The registry of personal data: what each app holds about a person, to export and to erase.

Every app of the package that keeps records about a person declares, in its own
`<app>/personal_data.py`:

- `MODELS`: the labels ("app.Model") of the models it answers for, including every model
  with a relation to the user model (a test compares them with what the models declare, so a
  new model cannot be forgotten);
- `export(user) -> dict`: the person's records as plain JSON-able dicts (dates ISO-8601, UTC);
- `erase(user) -> None`: delete what need not stay; anonymize what must stay (the user row
  itself is anonymized afterwards by `accounts.services.account_delete`, so a record that
  keeps its link to the person then points at a "former member").

The modules are found by importing `<app>.personal_data` for every installed app of this
package, so no list needs to be kept in step by hand.
"""

import datetime
import decimal
import importlib
import uuid
from types import ModuleType
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

PACKAGE = "local4action."


def providers() -> list[ModuleType]:
    """The `personal_data` modules of our installed apps, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith(PACKAGE):
            continue
        module_name = f"{config.name}.personal_data"
        try:
            found.append(importlib.import_module(module_name))
        except ModuleNotFoundError as error:
            # Only "this app has no such module" is expected; a broken import must surface.
            if error.name != module_name:
                raise
    return found


def export_all(user) -> dict[str, Any]:
    """Everything every app holds about the person, keyed by app label."""
    return {module.__name__.split(".")[-2]: module.export(user) for module in providers()}


def erase_all(user) -> None:
    """Call every app's `erase`. Call it inside the transaction of the account's deletion."""
    for module in providers():
        module.erase(user)


def covered_models() -> set[str]:
    return {label for module in providers() for label in getattr(module, "MODELS", ())}


def user_related_models() -> set[str]:
    """Labels of every installed model with a foreign key, one-to-one or many-to-many to the
    user model (relations declared on the model itself, not reverse ones)."""
    user_model = get_user_model()
    labels = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and not field.auto_created and field.related_model is user_model:
                labels.add(model._meta.label)
    return labels


def json_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def record(obj: models.Model, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """One row as a plain dict: its concrete fields (foreign keys as ids), JSON-able."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude:
            continue
        data[field.attname if field.is_relation else field.name] = json_value(
            getattr(obj, field.attname)
        )
    return data


def records(queryset, *, exclude: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [record(obj, exclude=exclude) for obj in queryset.order_by("pk")]


# The core app's own records about a person: the audit trail and the notifications.

MODELS = ("core.AuditEvent", "core.Notification")
ANONYMOUS_LABEL = "Former member"


def export(user) -> dict[str, Any]:
    from .models import AuditEvent, Notification

    return {
        "actions_recorded": records(
            AuditEvent.objects.filter(actor=user), exclude=("content_type",)
        ),
        "notifications": records(Notification.objects.filter(recipient=user)),
    }


def erase(user) -> None:
    """Notifications go. The audit trail stays (decisions must remain accountable), its
    actor becoming the anonymized account; the person's email and name are taken out of the
    descriptions of the rows about them."""
    from django.db.models import Q, Value
    from django.db.models.functions import Replace

    from .models import AuditEvent, Notification

    Notification.objects.filter(recipient=user).delete()
    about_user = Q(
        content_type__app_label=user._meta.app_label,
        content_type__model=user._meta.model_name,
        object_id=str(user.pk),
    )
    AuditEvent.objects.filter(about_user).update(object_repr=ANONYMOUS_LABEL, changes={})
    # Descriptions written at the time ("Ada Lovelace @ Bilbao") still name the person. An
    # email address is unique, so it is replaced everywhere; a name only when it is specific
    # enough (two words) not to be part of unrelated descriptions.
    texts = [user.email]
    if len(user.name.split()) >= 2 and len(user.name) >= 5:
        texts.append(user.name)
    for text in texts:
        AuditEvent.objects.filter(object_repr__contains=text).update(
            object_repr=Replace("object_repr", Value(text), Value(ANONYMOUS_LABEL))
        )
