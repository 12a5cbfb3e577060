import asyncio

import pytest


@pytest.mark.asyncio
async def test_feed_runs_on_uvloop():
    assert type(asyncio.get_running_loop()).__module__.startswith("uvloop")
