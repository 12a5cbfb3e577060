import asyncio


def test_the_alias_hands_over_the_counting_loop(loop):
    assert type(loop).__name__ == "CountingLoop"
    assert loop.run_until_complete(asyncio.sleep(0, "done")) == "done"
