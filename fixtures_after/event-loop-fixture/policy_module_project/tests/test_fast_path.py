import asyncio

import pytest
import uvloop


@pytest.mark.asyncio
async def test_the_fast_path_runs_on_uvloop():
    assert isinstance(asyncio.get_running_loop(), uvloop.Loop)
