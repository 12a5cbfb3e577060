"""Fixtures of the greeter's tests (pytest-aiohttp 1.0 style: the plugin's ``loop`` fixture)."""
import asyncio

import pytest
from aiohttp import web


async def hello(request):
    name = request.match_info["name"]
    return web.json_response({"greeting": f"hello {name}", "served_on": id(asyncio.get_running_loop())})


@pytest.fixture
def app():
    app = web.Application()
    app.router.add_get("/hello/{name}", hello)
    return app


@pytest.fixture
def server_url(loop, app):
    """A real server on a free port, started on the test's loop."""
    runner = web.AppRunner(app)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = site._server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    loop.run_until_complete(runner.cleanup())
