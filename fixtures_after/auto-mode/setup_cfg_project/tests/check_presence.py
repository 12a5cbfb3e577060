import asyncio

from pytest import fixture


@fixture
def heartbeat_interval():
    return 0.001


async def test_heartbeat_keeps_the_user_online(heartbeat_interval):
    beats = 0
    for _ in range(3):
        await asyncio.sleep(heartbeat_interval)
        beats += 1
    assert beats == 3
