import pytest


@pytest.fixture
def runner():
    return "plain"
