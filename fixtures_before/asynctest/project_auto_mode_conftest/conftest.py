import asynctest
import pytest


@pytest.fixture
def redis():
    """A fake redis client: only the commands the rate limiter uses."""
    client = asynctest.MagicMock()
    client.incr = asynctest.CoroutineMock(side_effect=[1, 2, 3, 4])
    client.expire = asynctest.CoroutineMock()
    return client
