import pytest


class FakeClient:
    def get(self, path):
        return 200


@pytest.fixture
def test_client():
    return FakeClient()


def test_get(test_client):
    assert test_client.get("/") == 200
