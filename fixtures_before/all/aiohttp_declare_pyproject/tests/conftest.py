import asyncio

import pytest
from aiohttp import web

pytest_plugins = ("aiohttp.pytest_plugin",)


async def stock(request):
    return web.json_response({"item": request.match_info["item"], "loop": id(asyncio.get_running_loop())})


@pytest.fixture
def app():
    application = web.Application()
    application.router.add_get("/stock/{item}", stock)
    return application
