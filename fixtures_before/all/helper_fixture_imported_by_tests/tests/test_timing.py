import asyncio

import pytest

from pkg.jobs import run_in_steps
from pkg.test_utils import (
    assert_run,
    event_loop,  # noqa: F401 (a fixture)
)


@pytest.mark.asyncio
async def test_the_fixture_is_the_running_loop(event_loop):
    assert asyncio.get_running_loop() is event_loop
    await assert_run(run_in_steps(2), 2)
    assert event_loop.steps > 0
