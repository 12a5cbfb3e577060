"""Price feed tests with hand-written fakes.

These replaced the asynctest.CoroutineMock based fakes; Mock and CoroutineMock below are
ours, not asynctest's.
"""

import pytest


class Mock:
    """A recording fake: remembers every call."""

    def __init__(self, result=None):
        self.calls = []
        self.result = result

    def __call__(self, *args):
        self.calls.append(args)
        return self.result


class CoroutineMock(Mock):
    async def __call__(self, *args):
        return super().__call__(*args)


async def latest_price(fetch, symbol):
    quote = await fetch(symbol)
    return round(quote["bid"], 2)


@pytest.mark.asyncio
async def test_latest_price_rounds_the_bid():
    fetch = CoroutineMock({"bid": 101.2345})

    assert await latest_price(fetch, "ACME") == 101.23
    assert fetch.calls == [("ACME",)]


def test_sync_fake_records_calls():
    notify = Mock()
    notify("ops", "price feed lagging")
    assert notify.calls == [("ops", "price feed lagging")]
