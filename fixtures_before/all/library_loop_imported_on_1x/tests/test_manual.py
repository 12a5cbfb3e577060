import asyncio

import pytest
from loopkit.testing import event_loop


def test_callbacks_run_when_asked(event_loop):
    seen = []
    event_loop.call_soon(seen.append, 1)
    assert seen == []
    event_loop.run_pending()
    assert seen == [1]


@pytest.mark.asyncio
async def test_async_tests_still_run_on_asyncio():
    await asyncio.sleep(0)
    assert asyncio.get_running_loop().is_running()
