"""A fake message-bus client that happens to share httpx's class name."""

import httpx
import pytest


class AsyncClient:
    def __init__(self, *, app, topic="events"):
        self.app = app
        self.topic = topic
        self.published = []

    async def publish(self, message):
        self.published.append((self.topic, message))
        return await self.app(message)


async def audit_app(message):
    return message.upper()


@pytest.mark.asyncio
async def test_publish_goes_through_the_app():
    bus = AsyncClient(app=audit_app, topic="audit")
    assert await bus.publish("login") == "LOGIN"
    assert bus.published == [("audit", "login")]


@pytest.mark.asyncio
async def test_http_side_uses_a_mock_transport():
    transport = httpx.MockTransport(lambda request: httpx.Response(204))
    async with httpx.AsyncClient(transport=transport, base_url="http://audit.test") as client:
        response = await client.post("/events", json={"event": "login"})
    assert response.status_code == 204
