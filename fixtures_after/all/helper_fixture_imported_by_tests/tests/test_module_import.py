import asyncio

import pytest

from pkg import test_utils


@pytest.mark.asyncio
async def test_helpers_reached_through_the_module():
    await test_utils.assert_run(asyncio.sleep(0, result=4), 4)
    assert not hasattr(asyncio.get_running_loop(), "steps")
