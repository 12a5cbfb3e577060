import asyncio

from tests.loops import event_loop  # noqa: F401


async def test_a_long_sleep_returns_at_once():
    loop = asyncio.get_running_loop()
    assert type(loop).__name__ == "JumpingLoop"  # (on asyncio's own loop, the sleep takes 1000 s)
    start = loop.time()
    await asyncio.sleep(1000)
    assert loop.time() - start >= 1000


async def test_wait_for_times_out_on_the_jumping_clock():
    assert type(asyncio.get_running_loop()).__name__ == "JumpingLoop"
    try:
        await asyncio.wait_for(asyncio.sleep(3600), timeout=600)
    except asyncio.TimeoutError:
        pass
    else:
        raise AssertionError("no timeout")
