"""Sync tests on the project's own loop, async ones through pytest-aiohttp 1.1's client."""
import asyncio

from aiohttp import web


async def hello(request):
    return web.Response(text="hello")


def test_sync_code_runs_on_its_own_loop(loop):
    async def running():
        return asyncio.get_running_loop()

    assert loop.run_until_complete(running()) is loop


async def test_own_loop_is_not_the_running_one(loop, aiohttp_client):
    assert loop is not asyncio.get_running_loop()
    app = web.Application()
    app.router.add_get("/", hello)
    client = await aiohttp_client(app)
    resp = await asyncio.wait_for(client.get("/"), timeout=2)
    assert await resp.text() == "hello"
