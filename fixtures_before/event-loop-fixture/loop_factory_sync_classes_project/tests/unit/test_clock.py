import asyncio

import pytest


@pytest.mark.asyncio
async def test_runs_on_asyncio_s_own_loop():
    assert type(asyncio.get_running_loop()).__name__ != "CountingLoop"
