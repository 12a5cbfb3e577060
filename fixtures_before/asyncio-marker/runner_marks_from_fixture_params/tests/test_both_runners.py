import asyncio

import pytest


@pytest.mark.usefixtures("runner")
async def test_sleeps_under_either_runner():
    await asyncio.sleep(0)


async def test_knows_its_runner(runner):
    await asyncio.sleep(0)
    assert runner in ("fast", "debug")


async def test_gets_a_mark():
    await asyncio.sleep(0)
