"""Already on pytest-aiohttp 1.1: aiohttp_client, and a loop the tests ask for themselves."""
import asyncio

import pytest
from aiohttp import ClientSession, web


async def resolve(request):
    return web.json_response({"to": "https://example.org/" + request.match_info["code"]})


@pytest.fixture
def app():
    app = web.Application()
    app.router.add_get("/{code}", resolve)
    return app


async def test_resolves_a_code(aiohttp_client, app):
    client = await aiohttp_client(app)
    resp = await asyncio.wait_for(client.get("/abc"), timeout=2)
    assert (await resp.json())["to"] == "https://example.org/abc"


async def test_session_on_the_running_loop(aiohttp_client, app):
    client = await aiohttp_client(app)
    loop = asyncio.get_running_loop()
    async with ClientSession(loop=loop) as session:
        assert session._loop is loop
        get = session.get(str(client.make_url("/xyz")))
        async with await asyncio.wait_for(get, timeout=2) as resp:
            assert (await resp.json())["to"] == "https://example.org/xyz"
    async with ClientSession(loop=asyncio.get_running_loop()) as other:
        assert other._loop is loop
