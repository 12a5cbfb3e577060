import pytest


@pytest.fixture
def chunks():
    return ["a\nb", "\nc"]
