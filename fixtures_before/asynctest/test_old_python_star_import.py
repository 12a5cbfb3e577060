"""A mock module that star-imports asynctest's mock only on Pythons before 3.8, where
unittest.mock had no AsyncMock: no Python pytest-asyncio 1.x runs on takes that branch, so
there is nothing to rewrite and nothing to say (bellows' tests/async_mock.py)."""
import sys

import pytest

if sys.version_info[:2] < (3, 8):
    from asynctest.mock import *  # noqa

    AsyncMock = CoroutineMock  # noqa: F405
else:
    from unittest.mock import *  # noqa


class Radio:
    async def send(self, frame):
        return len(frame)


@pytest.mark.asyncio
async def test_send_is_awaited():
    radio = Radio()
    radio.send = AsyncMock(return_value=3)
    assert await radio.send(b"abc") == 3
    radio.send.assert_awaited_once_with(b"abc")


def test_sync_mock_still_there():
    callback = MagicMock(return_value=1)
    assert callback() == 1
