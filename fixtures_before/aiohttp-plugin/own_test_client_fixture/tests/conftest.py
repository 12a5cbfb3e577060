import pytest
from aiohttp import web


async def ping(request):
    return web.Response(text="pong")


@pytest.fixture
async def test_client(aiohttp_client):
    # the project's own fixture: a client already bound to the app under test
    application = web.Application()
    application.router.add_get("/ping", ping)
    return await aiohttp_client(application)


@pytest.fixture
def unused_port(unused_tcp_port):
    return unused_tcp_port
