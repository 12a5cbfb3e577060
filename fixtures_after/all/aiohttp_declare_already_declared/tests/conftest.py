import asyncio

import pytest
from aiohttp import web


async def ping(request):
    return web.json_response({"loop": id(asyncio.get_running_loop())})


@pytest.fixture
def app():
    application = web.Application()
    application.router.add_get("/ping", ping)
    return application
