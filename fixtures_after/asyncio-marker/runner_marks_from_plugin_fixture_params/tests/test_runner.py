import asyncio

import pytest


async def test_runs_on_the_module_loop(runner, module_loop):
    assert runner == "shared"
    assert asyncio.get_running_loop() is module_loop


@pytest.mark.usefixtures("runner")
async def test_usefixtures_runs_on_the_module_loop(module_loop):
    assert asyncio.get_running_loop() is module_loop


@pytest.mark.asyncio
async def test_gets_a_mark():
    await asyncio.sleep(0)
