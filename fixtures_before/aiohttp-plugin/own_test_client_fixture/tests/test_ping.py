import asyncio


async def test_ping(test_client):
    response = await asyncio.wait_for(test_client.get("/ping"), timeout=2)
    assert await response.text() == "pong"


def test_port_is_a_number(unused_port):
    assert isinstance(unused_port, int)
