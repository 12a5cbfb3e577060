import asyncio

from aiohttp import ClientSession


async def test_echo_through_a_real_server(aiohttp_server, app, loop):
    server = await aiohttp_server(app)
    async with ClientSession(loop=loop) as session:
        post = session.post(server.make_url("/echo"), json={"a": 1})
        async with await asyncio.wait_for(post, timeout=2) as resp:
            assert await resp.json() == {"a": 1}
    # the server's runner lives on the loop the test runs on
    assert server.runner.server is not None
    assert session._loop is loop


async def test_client_session_is_on_the_test_loop(aiohttp_client, app, loop):
    client = await aiohttp_client(app)
    assert client.session._loop is loop
    resp = await asyncio.wait_for(client.post("/echo", json=[1, 2]), timeout=2)
    assert await resp.json() == [1, 2]
