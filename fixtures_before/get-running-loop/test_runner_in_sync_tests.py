"""Sync tests that need a loop build one; none of them calls asyncio.get_event_loop()."""

import asyncio


async def fetch_rates():
    await asyncio.sleep(0)
    return {"EUR": 1.0, "USD": 1.09}


def test_rates_through_runner():
    with asyncio.Runner() as runner:
        rates = runner.run(fetch_rates())
        loop = runner.get_loop()
        assert not loop.is_closed()
    assert rates["USD"] == 1.09


def test_rates_through_asyncio_run():
    assert asyncio.run(fetch_rates())["EUR"] == 1.0


def test_fresh_loop_by_hand():
    loop = asyncio.new_event_loop()
    try:
        assert loop.run_until_complete(fetch_rates())
    finally:
        loop.close()
