import pytest


@pytest.fixture
def job_names():
    return ["backup", "report"]
