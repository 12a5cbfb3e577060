import asyncio

import pytest


@pytest.mark.asyncio
async def test_still_on_the_project_loop(payload):
    assert type(asyncio.get_running_loop()).__name__ == "CountingLoop"
