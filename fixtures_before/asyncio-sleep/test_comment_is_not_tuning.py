"""A comment that names slow_callback_duration does not make the blocking deliberate."""

import time

import pytest


@pytest.mark.asyncio
async def test_retry_waits_between_attempts():
    # the old suite also set loop.slow_callback_duration here; that was dropped
    attempts = []
    for _ in range(2):
        attempts.append(len(attempts))
        time.sleep(0.01)
    assert attempts == [0, 1]
