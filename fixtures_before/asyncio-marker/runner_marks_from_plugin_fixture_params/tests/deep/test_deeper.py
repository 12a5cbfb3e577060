import asyncio


async def test_a_deeper_folder_runs_on_the_module_loop(runner, module_loop):
    assert asyncio.get_running_loop() is module_loop
