"""A compatibility shim kept from the httpx 0.27 upgrade: the suite's own AsyncClient
still takes app= and builds the transport itself."""

import pytest
from httpx import ASGITransport, AsyncClient


class AsyncClient(AsyncClient):  # noqa: F811
    def __init__(self, *, app, **kwargs):
        kwargs.setdefault("base_url", "http://testserver")
        super().__init__(transport=ASGITransport(app=app), **kwargs)


async def tickets_app(scope, receive, send):
    method = scope["method"]
    status = 201 if method == "POST" else 405
    await send({"type": "http.response.start", "status": status, "headers": []})
    await send({"type": "http.response.body", "body": method.encode()})


@pytest.mark.asyncio
async def test_tickets_can_be_created():
    async with AsyncClient(app=tickets_app) as client:
        response = await client.post("/tickets", json={"title": "printer on fire"})
    assert response.status_code == 201


@pytest.mark.asyncio
async def test_tickets_cannot_be_deleted():
    async with AsyncClient(app=tickets_app, headers={"X-User": "ops"}) as client:
        response = await client.delete("/tickets/1")
    assert response.status_code == 405
    assert response.text == "DELETE"
