import asyncio

import pytest
from aiohttp import web

pytest_plugins = ["aiohttp.pytest_plugin"]


async def whoami(request):
    # the loop the server answers on: the test's own, or the test would wait forever
    return web.json_response({"loop": id(asyncio.get_running_loop())})


@pytest.fixture
def app():
    application = web.Application()
    application.router.add_get("/whoami", whoami)
    return application


@pytest.fixture
def client(loop, test_client, app):
    return loop.run_until_complete(test_client(app))
