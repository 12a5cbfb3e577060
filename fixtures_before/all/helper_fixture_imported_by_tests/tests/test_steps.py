import pytest

from pkg.jobs import run_in_steps
from pkg.test_utils import assert_run, event_loop


@pytest.mark.asyncio
async def test_each_unit_gives_the_loop_a_turn(event_loop):
    before = event_loop.steps
    await assert_run(run_in_steps(3), 3)
    assert event_loop.steps - before >= 3


@pytest.mark.asyncio
async def test_no_units_no_turns(event_loop):
    before = event_loop.steps
    await assert_run(run_in_steps(0), 0)
    assert event_loop.steps == before
