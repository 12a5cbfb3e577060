import pytest
from aiohttp import web


async def echo(request):
    return web.json_response({"loop": id(request.app["loop"]), "text": await request.text()})


@pytest.fixture
def app():
    application = web.Application()
    application.router.add_post("/echo", echo)
    return application
