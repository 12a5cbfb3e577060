"""Already on pytest-aiohttp 1.1 and pytest-asyncio 1.x (installed by CI, declared nowhere):
nothing to migrate. ``loop`` here is a helper's parameter, not a fixture."""
import asyncio

import pytest
from aiohttp import web


def make_app():
    hits = []

    async def hit(request):
        hits.append(request.path)
        return web.json_response({"hits": len(hits)})

    app = web.Application()
    app.router.add_get("/hit", hit)
    return app


def later(loop, callback):
    return loop.call_later(0.01, callback)


@pytest.mark.asyncio
async def test_counts(aiohttp_client):
    client = await aiohttp_client(make_app())
    for expected in (1, 2):
        resp = await asyncio.wait_for(client.get("/hit"), timeout=2)
        assert (await resp.json())["hits"] == expected


@pytest.mark.asyncio
async def test_server_on_a_free_port(aiohttp_server, unused_tcp_port_factory):
    port = unused_tcp_port_factory()
    server = await aiohttp_server(make_app(), port=port)
    assert server.port == port
    done = asyncio.Event()
    later(asyncio.get_running_loop(), done.set)
    await asyncio.wait_for(done.wait(), timeout=2)
