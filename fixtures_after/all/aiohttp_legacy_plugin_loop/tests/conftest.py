import asyncio

import pytest
import pytest_asyncio
from aiohttp import web


async def whoami(request):
    # the loop the server answers on: the test's own, or the test would wait forever
    return web.json_response({"loop": id(asyncio.get_running_loop())})


@pytest.fixture
def app():
    application = web.Application()
    application.router.add_get("/whoami", whoami)
    return application


@pytest_asyncio.fixture
async def client(aiohttp_client, app):
    return await aiohttp_client(app)
