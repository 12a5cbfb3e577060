from asyncio import get_running_loop, sleep

import pytest


@pytest.mark.asyncio
async def test_handle_cancelled_before_firing():
    fired = []
    handle = get_running_loop().call_later(0.01, fired.append, "late")
    handle.cancel()
    await sleep(0.02)
    assert fired == []
