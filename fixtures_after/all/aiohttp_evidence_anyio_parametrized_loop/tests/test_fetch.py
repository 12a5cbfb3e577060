"""aiohttp under anyio's pytest plugin: ``loop`` here is a parametrize argument (which loop
policy the case names), never a fixture."""
import asyncio

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("loop", ["default", "debug"])
async def test_hello(loop):
    async def hello(request):
        return web.Response(text=f"hello {loop}")

    app = web.Application()
    app.router.add_get("/", hello)
    asyncio.get_running_loop().set_debug(loop == "debug")
    async with TestClient(TestServer(app)) as client:
        resp = await asyncio.wait_for(client.get("/"), timeout=2)
        assert await resp.text() == f"hello {loop}"


@pytest.mark.parametrize("loop", ["selector"])
def test_names_are_plain_strings(loop):
    assert loop == "selector"
