import asyncio

import pytest


@pytest.mark.asyncio
async def test_client_fixture_on_the_test_loop(client):
    response = await asyncio.wait_for(client.get("/whoami"), timeout=2)
    body = await response.json()
    assert body["loop"] == id(asyncio.get_running_loop())


@pytest.mark.asyncio
async def test_callbacks_on_the_test_loop():
    loop = asyncio.get_running_loop()
    # a future of another loop would never be set while this test waits on it
    done = loop.create_future()
    loop.call_soon(done.set_result, "called")
    assert await asyncio.wait_for(done, timeout=2) == "called"


@pytest.mark.asyncio
async def test_sync_style(aiohttp_client, app):
    client = await aiohttp_client(app)
    response = await asyncio.wait_for(client.get("/whoami"), timeout=2)
    assert response.status == 200
    body = await response.json()
    assert body["loop"] == id(asyncio.get_running_loop())
