import pytest
from helpers import admin_client


@pytest.mark.asyncio
async def test_user_by_id(api):
    response = await api.get("/users/42")
    assert response.status_code == 200
    assert response.json()["name"] == "Ada"


@pytest.mark.asyncio
async def test_missing_user(api):
    response = await api.get("/users/7")
    assert response.status_code == 404


def test_admin_requires_a_token():
    with admin_client() as client:
        assert client.get("/").status_code == 401


def test_admin_with_token():
    with admin_client("admin-token") as client:
        response = client.get("/")
    assert response.status_code == 200
    assert response.text == "admin dashboard"
