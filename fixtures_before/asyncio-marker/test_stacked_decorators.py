import asyncio
import functools
from unittest import mock

import pytest


def retry(times: int):
    def decorate(func):
        @functools.wraps(func)
        async def wrapper(*args, **kwargs):
            for _ in range(times - 1):
                try:
                    return await func(*args, **kwargs)
                except ConnectionError:
                    await asyncio.sleep(0)
            return await func(*args, **kwargs)

        return wrapper

    return decorate


class PriceFeed:
    calls = 0

    @classmethod
    async def fetch(cls, symbol: str) -> float:
        cls.calls += 1
        if cls.calls < 3:
            raise ConnectionError(symbol)
        return 9.5


# Quotes come from the feed, which is patched out here.
@pytest.mark.parametrize(
    ("symbol", "price"),
    [("ACME", 12.5), ("INITECH", 3.0)],
)
@mock.patch.object(PriceFeed, "fetch", new_callable=mock.AsyncMock)
async def test_price_lookup(fetch, symbol, price):
    fetch.return_value = price
    assert await PriceFeed.fetch(symbol) == price
    fetch.assert_awaited_once_with(symbol)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@retry(times=3)
async def test_flaky_feed_eventually_answers():
    assert await PriceFeed.fetch("ACME") == 9.5
