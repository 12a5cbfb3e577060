import asyncio

import pytest
from aiohttp import web


async def hello(request):
    # answered on the loop the server runs on: the test's own, or the client waits forever
    return web.json_response({"loop": id(asyncio.get_running_loop()), "name": request.query.get("name", "")})


@pytest.fixture
def app():
    application = web.Application()
    application.router.add_get("/hello", hello)
    return application
