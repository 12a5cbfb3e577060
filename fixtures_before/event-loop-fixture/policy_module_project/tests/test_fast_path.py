import asyncio

import pytest
import uvloop


@pytest.fixture(scope="module")
def event_loop_policy():
    return uvloop.EventLoopPolicy()


@pytest.mark.asyncio
async def test_the_fast_path_runs_on_uvloop():
    assert isinstance(asyncio.get_running_loop(), uvloop.Loop)
