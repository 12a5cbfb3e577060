"""The HTTP client is an optional test dependency, imported where it is used."""

import pytest
import pytest_asyncio


async def metrics_app(scope, receive, send):
    if scope["path"] == "/metrics":
        status, body = 200, b"requests_total 42\n"
    else:
        status, body = 404, b""
    await send({"type": "http.response.start", "status": status, "headers": []})
    await send({"type": "http.response.body", "body": body})


@pytest_asyncio.fixture
async def metrics_client():
    import httpx

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=metrics_app), base_url="http://metrics.test"
    ) as client:
        yield client


@pytest_asyncio.fixture
async def admin_metrics_client():
    # for the admin suite, which installs the "admin" extra
    from httpx import AsyncClient

    async with AsyncClient(app=metrics_app, base_url="http://metrics.test", auth=("admin", "s3cret")) as client:
        yield client


@pytest.mark.asyncio
async def test_metrics_are_exposed(metrics_client):
    response = await metrics_client.get("/metrics")
    assert response.status_code == 200
    assert "requests_total 42" in response.text


@pytest.mark.asyncio
async def test_other_paths_are_404(metrics_client):
    response = await metrics_client.get("/debug")
    assert response.status_code == 404
