"""On pytest-asyncio 1.x, event_loop is an ordinary fixture: this project's own, imported
from tests/loops.py for sync tests that drive coroutines themselves (must not touch)."""
import asyncio

import pytest

from tests.loops import double, event_loop


def test_a_sync_test_drives_its_own_loop(event_loop):
    assert event_loop.run_until_complete(double(2)) == 4
    assert not event_loop.is_running()


@pytest.mark.asyncio
async def test_the_projects_loop_is_not_the_running_one(event_loop):
    assert event_loop is not asyncio.get_running_loop()
    assert await double(3) == 6
