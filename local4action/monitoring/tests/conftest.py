import pytest

from .factories import make_hub


@pytest.fixture
def hub_and_editor(db):
    return make_hub()
