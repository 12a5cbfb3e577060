import pytest


@pytest.fixture
def payload():
    return b"x" * 1024
