import asyncio


async def test_ping_answers_on_the_test_loop(test_client, app):
    client = await test_client(app)
    response = await asyncio.wait_for(client.get("/ping"), timeout=2)
    assert (await response.json())["loop"] == id(asyncio.get_running_loop())
