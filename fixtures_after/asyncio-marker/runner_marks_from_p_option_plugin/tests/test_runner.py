import asyncio

import pytest
import pytest_asyncio


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def module_loop():
    return asyncio.get_running_loop()


async def test_runs_on_the_loop_its_parameter_names(runner, module_loop):
    assert (asyncio.get_running_loop() is module_loop) == (runner == "module")


@pytest.mark.usefixtures("runner")
async def test_sleeps_under_either_loop():
    await asyncio.sleep(0)
