import json

import pytest
import pytest_asyncio
from httpx import ASGITransport, AsyncClient

INVENTORY = {"sku-100": 12, "sku-200": 0}


async def inventory_app(scope, receive, send):
    assert scope["type"] == "http"
    sku = scope["path"].rsplit("/", 1)[-1]
    if sku in INVENTORY:
        status, payload = 200, {"sku": sku, "on_hand": INVENTORY[sku]}
    else:
        status, payload = 404, {"error": f"unknown sku {sku}"}
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": json.dumps(payload).encode()})


@pytest_asyncio.fixture
async def client():
    async with AsyncClient(
        transport=ASGITransport(app=inventory_app), base_url="http://inventory.test"
    ) as client:
        yield client


@pytest.mark.asyncio
async def test_stock_level_of_known_sku(client):
    response = await client.get("/stock/sku-100")
    assert response.status_code == 200
    assert response.json() == {"sku": "sku-100", "on_hand": 12}


@pytest.mark.asyncio
async def test_unknown_sku_is_404(client):
    response = await client.get("/stock/sku-999")
    assert response.status_code == 404
    assert response.json()["error"] == "unknown sku sku-999"
