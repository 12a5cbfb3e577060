import asyncio


async def test_runs_on_the_module_loop(runner, module_loop):
    assert runner == "shared"
    assert asyncio.get_running_loop() is module_loop
