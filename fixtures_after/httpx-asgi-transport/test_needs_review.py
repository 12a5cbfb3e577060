import os

import httpx
import pytest
import pytest_asyncio


async def orders_app(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"order 7: shipped"})


@pytest_asyncio.fixture
async def orders():
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=orders_app), base_url="http://orders.test"
    ) as client:
        yield client


# The fixtures below serve the contract tests in other modules.


@pytest_asyncio.fixture
async def recorded_orders():
    transport = httpx.MockTransport(lambda request: httpx.Response(200, text="order 7: recorded"))
    async with httpx.AsyncClient(app=orders_app, transport=transport) as client:
        yield client


@pytest_asyncio.fixture
async def staging_orders():
    staging_url = os.environ.get("ORDERS_STAGING_URL")
    async with httpx.AsyncClient(
        app=orders_app if staging_url is None else None,
        base_url=staging_url or "http://orders.test",
    ) as client:
        yield client


@pytest_asyncio.fixture
async def lazy_orders():
    from httpx import AsyncClient

    async with AsyncClient(
        transport=httpx.ASGITransport(app=orders_app), base_url="http://orders.test"
    ) as client:
        yield client


@pytest.mark.asyncio
async def test_order_status(orders):
    response = await orders.get("/orders/7")
    assert response.status_code == 200
    assert response.text == "order 7: shipped"
