import asyncio

import pytest


@pytest.mark.asyncio
async def test_runs_on_the_project_loop():
    assert type(asyncio.get_running_loop()).__name__ == "CountingLoop"
