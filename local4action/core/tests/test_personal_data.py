"""The registry of personal data: no model that points at a person can be forgotten."""

import json

from local4action.core import personal_data


def test_every_model_related_to_the_user_is_covered_by_some_apps_export():
    # given every model with a foreign key, one-to-one or many-to-many to the user model
    related = personal_data.user_related_models()

    # when the apps' personal_data modules declare what they cover
    covered = personal_data.covered_models()

    # then none is missing
    assert related, "introspection found no model at all"
    assert related - covered == set(), (
        "Add these models to MODELS (with export and erase) in their app's personal_data.py"
    )


def test_every_provider_has_export_and_erase():
    for module in personal_data.providers():
        assert callable(module.export), module.__name__
        assert callable(module.erase), module.__name__
        assert isinstance(module.MODELS, tuple), module.__name__


def test_providers_include_the_apps_that_hold_personal_data():
    names = {module.__name__ for module in personal_data.providers()}

    for app in ("core", "accounts", "events", "surveys", "exchange", "calls", "monitoring"):
        assert f"local4action.{app}.personal_data" in names


def test_an_empty_account_exports_plain_json(user):
    data = personal_data.export_all(user)

    assert set(data) >= {"core", "accounts", "events", "surveys", "exchange"}
    json.dumps(data)


def test_the_privacy_notice_is_public_and_linked_in_the_footer(client, db, settings):
    response = client.get("/privacy/")

    assert response.status_code == 200
    body = response.content.decode()
    assert settings.BRAND["name"] in body
    assert f"{settings.PARTICIPANT_DATA_RETENTION_DAYS} days" in body
    assert 'href="/privacy/"' in body


def test_the_privacy_notice_is_translated(client, db):
    response = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200
    assert "<script>" not in response.content.decode()
