import pytest

from .factories import make_call, make_team


@pytest.fixture
def call(secretariat):
    return make_call(staff=secretariat)


@pytest.fixture
def two_stage_call(secretariat):
    return make_call(staff=secretariat, two_stages=True, title="Least developed countries call")


@pytest.fixture
def team():
    """(organization, admin, editor) of an approved local government."""
    return make_team()
