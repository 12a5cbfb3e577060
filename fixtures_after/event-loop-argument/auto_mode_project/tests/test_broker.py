import asyncio


async def test_message_round_trip(broker):
    event_loop = asyncio.get_running_loop()
    await broker.publish("orders", {"id": 17})
    assert await broker.next_message("orders") == {"id": 17}
    assert broker.loop is event_loop


async def test_publish_from_callback(broker):
    event_loop = asyncio.get_running_loop()
    event_loop.call_soon(asyncio.ensure_future, broker.publish("audit", "login"))
    assert await broker.next_message("audit") == "login"


def test_broker_starts_empty():
    assert asyncio.Queue().empty()
