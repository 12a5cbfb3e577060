from unittest import mock

import pytest


@pytest.fixture
def redis():
    """A fake redis client: only the commands the rate limiter uses."""
    client = mock.MagicMock()
    client.incr = mock.AsyncMock(side_effect=[1, 2, 3, 4])
    client.expire = mock.AsyncMock()
    return client
