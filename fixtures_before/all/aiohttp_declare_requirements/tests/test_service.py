import asyncio

import pytest


async def test_hello_answers_on_the_test_loop(test_client, app):
    client = await test_client(app)
    response = await asyncio.wait_for(client.get("/hello", params={"name": "ada"}), timeout=2)
    assert response.status == 200
    body = await response.json()
    assert body == {"loop": id(asyncio.get_running_loop()), "name": "ada"}


async def test_unknown_route(test_client, app):
    client = await test_client(app)
    response = await asyncio.wait_for(client.get("/missing"), timeout=2)
    assert response.status == 404


@pytest.mark.asyncio
async def test_queue_roundtrip():
    queue = asyncio.Queue()
    await queue.put("ping")
    assert await asyncio.wait_for(queue.get(), timeout=2) == "ping"
