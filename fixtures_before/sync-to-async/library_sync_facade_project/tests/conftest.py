import pytest

from mailer.client import Client


@pytest.fixture
def client():
    return Client()
