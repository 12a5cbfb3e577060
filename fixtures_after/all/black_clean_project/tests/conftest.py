import pytest


@pytest.fixture
def channel_with_a_descriptive_name() -> str:
    return "alerts"
