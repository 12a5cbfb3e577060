"""The notes service through aiohttp's test client, in the style pytest-aiohttp 0.3 ran:
coroutine tests without a mark, on the plugin's ``loop``."""
import asyncio

import pytest
from aiohttp import ClientSession


@pytest.mark.asyncio
async def test_add_then_list(aiohttp_client, app):
    loop = asyncio.get_running_loop()
    client = await aiohttp_client(app)
    resp = await client.post("/notes", json={"text": "milk"})
    assert resp.status == 201
    resp = await client.get("/notes")
    body = await resp.json()
    assert body["notes"] == ["milk"]
    # the app answered on the loop the test runs on
    assert body["served_on"] == id(loop)


@pytest.mark.asyncio
async def test_a_session_reaches_the_server(notes_url):
    loop = asyncio.get_running_loop()
    async with ClientSession() as session:
        get = session.get(notes_url + "/notes")
        async with await asyncio.wait_for(get, timeout=2) as resp:
            body = await resp.json()
    assert body == {"notes": [], "served_on": id(loop)}


@pytest.mark.asyncio
async def test_callbacks_run_on_the_test_loop():
    loop = asyncio.get_running_loop()
    done = asyncio.Event()
    loop.call_soon(done.set)
    await asyncio.wait_for(done.wait(), timeout=2)


@pytest.mark.asyncio
async def test_count_from_sync_code(aiohttp_client, app):
    client = await aiohttp_client(app)
    resp = await client.post("/notes", json={"text": "eggs"})
    body = await resp.json()
    assert body == {"count": 1}
