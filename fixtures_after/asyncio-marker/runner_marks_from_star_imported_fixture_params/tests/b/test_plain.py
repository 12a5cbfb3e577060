import asyncio

import pytest


@pytest.mark.asyncio
async def test_a_plain_runner_needs_a_mark(runner):
    await asyncio.sleep(0)
    assert runner == "plain"
