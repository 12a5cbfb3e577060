import asyncio


async def test_ledger_lives_in_the_test_loop(ledger):
    await ledger.record(250)
    assert ledger.entries == [250]
    assert ledger.loop is asyncio.get_event_loop()


async def test_factory_returns_running_loop(loop_factory):
    assert loop_factory() is asyncio.get_running_loop()
