"""Fixtures of the notes service's tests. CI installs pytest-aiohttp (see
.github/workflows/tests.yml): nothing here declares it."""
import asyncio

import pytest
from aiohttp import web


def make_app():
    notes = []

    async def add(request):
        payload = await request.json()
        notes.append(payload["text"])
        return web.json_response({"count": len(notes)}, status=201)

    async def listing(request):
        return web.json_response({"notes": notes, "served_on": id(asyncio.get_running_loop())})

    app = web.Application()
    app.router.add_post("/notes", add)
    app.router.add_get("/notes", listing)
    return app


@pytest.fixture
def app():
    return make_app()


@pytest.fixture
def notes_url(loop, app):
    """A real server on a free port, started on the test's loop."""
    runner = web.AppRunner(app)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = site._server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    loop.run_until_complete(runner.cleanup())
