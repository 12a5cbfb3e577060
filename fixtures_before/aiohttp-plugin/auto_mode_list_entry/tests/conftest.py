import pytest
from aiohttp import web

pytest_plugins = ["aiohttp.pytest_plugin", "pytester"]

LINKS = {}


async def shorten(request):
    payload = await request.json()
    key = str(len(LINKS) + 1)
    LINKS[key] = payload["url"]
    return web.json_response({"key": key})


async def follow(request):
    raise web.HTTPFound(LINKS[request.match_info["key"]])


@pytest.fixture
def app():
    application = web.Application()
    application.router.add_post("/", shorten)
    application.router.add_get("/{key}", follow)
    return application


@pytest.fixture
async def client(test_client, app):
    return await test_client(app)
