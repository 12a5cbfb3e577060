from unittest import mock

import pytest


async def backoff(attempt: int) -> float:
    return min(2 ** attempt, 30)


@pytest.mark.asyncio
async def test_backoff_never_really_sleeps():
    with mock.patch("time.sleep") as fake_sleep:
        assert await backoff(10) == 30
    fake_sleep.assert_not_called()
