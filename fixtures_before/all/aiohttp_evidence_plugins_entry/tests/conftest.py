import pytest
from aiohttp import web

# pytest-aiohttp 1.0 (installed by tox, with pytest-asyncio 0.18 in legacy mode, which it
# switches to auto)
pytest_plugins = "pytest_aiohttp"


async def echo(request):
    return web.json_response(await request.json())


@pytest.fixture
def app():
    application = web.Application()
    application.router.add_post("/echo", echo)
    return application
