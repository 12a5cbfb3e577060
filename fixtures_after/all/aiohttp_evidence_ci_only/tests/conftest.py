"""Fixtures of the notes service's tests. CI installs pytest-aiohttp (see
.github/workflows/tests.yml): nothing here declares it."""
import asyncio

import pytest
import pytest_asyncio
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


@pytest_asyncio.fixture
async def notes_url(app):
    """A real server on a free port, started on the test's loop."""
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()
