import asyncio

import pytest

from pkg.jobs import run_in_steps
from pkg.test_utils import (
    assert_run,
)


@pytest.mark.asyncio
async def test_the_fixture_is_the_running_loop():
    event_loop = asyncio.get_running_loop()
    await assert_run(run_in_steps(2), 2)
    assert event_loop.steps > 0
