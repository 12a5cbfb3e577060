import asyncio

import pytest

from pkg.jobs import schedule_soon
from pkg.test_utils import event_loop, assert_run


@pytest.mark.asyncio
async def test_a_scheduled_callback_fires(event_loop):
    fired = asyncio.Event()
    schedule_soon(fired.set)
    await asyncio.wait_for(fired.wait(), timeout=2)
    event_loop.assert_cleanup()


@pytest.mark.asyncio
async def test_the_callback_runs_on_this_loop(event_loop):
    seen = []
    schedule_soon(lambda: seen.append(asyncio.get_running_loop()), delay=0)
    await assert_run(asyncio.sleep(0.05, result="slept"), "slept")
    assert seen == [event_loop]
