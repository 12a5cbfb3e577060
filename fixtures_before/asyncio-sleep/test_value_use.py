import time

import pytest


@pytest.mark.asyncio
async def test_sleep_result_is_checked():
    result = time.sleep(0.001)
    assert result is None
    time.sleep(0.001)
