"""The project's own loop: each test gets a fresh one, closed after it."""
import asyncio

import pytest
from aiohttp import web


@pytest.fixture
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture
def pong_url(loop):
    async def pong(request):
        return web.Response(text="pong")

    app = web.Application()
    app.router.add_get("/ping", pong)
    runner = web.AppRunner(app)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = site._server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}/ping"
    loop.run_until_complete(runner.cleanup())
