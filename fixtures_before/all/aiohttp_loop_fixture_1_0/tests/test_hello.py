"""The greeter, through aiohttp's test client and a real server (pytest-aiohttp 1.0 style)."""
import asyncio

from aiohttp import ClientSession, web


async def test_client_greets(aiohttp_client, app, loop):
    client = await aiohttp_client(app)
    # the client's session was made on the loop the test runs in
    assert client.session._loop is loop
    resp = await client.get("/hello/ann")
    assert resp.status == 200
    body = await resp.json()
    assert body["greeting"] == "hello ann"
    assert body["served_on"] == id(loop)


async def test_session_reaches_the_server(server_url, loop):
    async with ClientSession(loop=loop) as session:
        assert session._loop is asyncio.get_running_loop()
        get = session.get(server_url + "/hello/bob")
        async with await asyncio.wait_for(get, timeout=2) as resp:
            body = await resp.json()
    assert body == {"greeting": "hello bob", "served_on": id(loop)}


async def test_sub_app_is_mounted(aiohttp_client, app, loop):
    admin = web.Application(loop=loop)
    admin.router.add_get("/ping", lambda request: web.Response(text="pong"))
    app.add_subapp("/admin", admin)
    client = await aiohttp_client(app)
    resp = await asyncio.wait_for(client.get("/admin/ping"), timeout=2)
    assert await resp.text() == "pong"


async def test_callbacks_run_on_the_test_loop(proactor_loop):
    done = asyncio.Event()
    proactor_loop.call_soon(done.set)
    await asyncio.wait_for(done.wait(), timeout=2)


def test_greeting_from_sync_code(loop, aiohttp_client, app):
    client = loop.run_until_complete(aiohttp_client(app))
    resp = loop.run_until_complete(client.get("/hello/cy"))
    body = loop.run_until_complete(resp.json())
    assert body["greeting"] == "hello cy"
