import asyncio

import pytest
import uvloop


@pytest.mark.asyncio
async def test_other_modules_keep_asyncio_loop():
    assert not isinstance(asyncio.get_running_loop(), uvloop.Loop)
