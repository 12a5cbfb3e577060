import asyncio


async def test_runs_on_the_hooks_loop():
    loop = asyncio.get_event_loop()
    assert loop.is_running()
