import asyncio


async def test_client_fixture_on_the_test_loop(client, loop):
    response = await asyncio.wait_for(client.get("/whoami"), timeout=2)
    body = await response.json()
    assert body["loop"] == id(asyncio.get_event_loop())


async def test_callbacks_on_the_test_loop(loop):
    # a future of another loop would never be set while this test waits on it
    done = loop.create_future()
    loop.call_soon(done.set_result, "called")
    assert await asyncio.wait_for(done, timeout=2) == "called"


def test_sync_style(loop, test_client, app):
    client = loop.run_until_complete(test_client(app))
    response = loop.run_until_complete(asyncio.wait_for(client.get("/whoami"), timeout=2))
    assert response.status == 200
    body = loop.run_until_complete(response.json())
    assert body["loop"] == id(asyncio.get_event_loop())
