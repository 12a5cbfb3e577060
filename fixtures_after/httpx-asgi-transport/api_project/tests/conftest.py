import json

import pytest_asyncio
from httpx import ASGITransport, AsyncClient

USERS = {"42": {"id": "42", "name": "Ada"}}


async def users_app(scope, receive, send):
    user_id = scope["path"].rsplit("/", 1)[-1]
    user = USERS.get(user_id)
    await send(
        {
            "type": "http.response.start",
            "status": 200 if user else 404,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": json.dumps(user or {}).encode()})


@pytest_asyncio.fixture
async def api():
    async with AsyncClient(
        transport=ASGITransport(app=users_app), base_url="http://api.test"
    ) as client:
        yield client
