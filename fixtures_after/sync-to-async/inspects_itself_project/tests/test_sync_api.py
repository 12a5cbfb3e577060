"""A sync facade over an async client, tested from sync tests (pytest-asyncio 0.21).

test_facade_stays_sync checks that it is itself a plain function, as the facade's callers
are: made async, it would fail its own first assertion.
"""
import asyncio
import inspect

import pytest


class Client:
    async def ping(self) -> str:
        await asyncio.sleep(0)
        return "pong"


def test_facade_stays_sync(event_loop):
    assert not inspect.iscoroutinefunction(test_facade_stays_sync)
    assert event_loop.run_until_complete(Client().ping()) == "pong"


@pytest.mark.asyncio
async def test_ping():
    assert await Client().ping() == "pong"
