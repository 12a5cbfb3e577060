import asyncio

import pytest


@pytest.mark.asyncio
async def test_client_fixture_on_the_test_loop(client):
    response = await asyncio.wait_for(client.get("/whoami"), timeout=2)
    body = await response.json()
    assert body["loop"] == id(asyncio.get_running_loop())


@pytest.mark.asyncio
async def test_loop_is_the_running_one():
    await asyncio.sleep(0)


@pytest.mark.asyncio
async def test_sync_style(aiohttp_client, app):
    client = await aiohttp_client(app)
    response = await asyncio.wait_for(client.get("/whoami"), timeout=2)
    assert response.status == 200
    body = await response.json()
    assert body["loop"] == id(asyncio.get_running_loop())
