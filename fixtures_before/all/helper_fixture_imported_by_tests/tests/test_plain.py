import asyncio

import pytest


@pytest.mark.asyncio
async def test_other_modules_run_on_asyncio_loops():
    assert not hasattr(asyncio.get_running_loop(), "steps")
