import asyncio

import pytest

pytestmark = pytest.mark.asyncio


async def fetch(feed: list[str], limit: int) -> list[str]:
    await asyncio.sleep(0)
    return feed[:limit]


async def test_fetch_respects_the_limit():
    assert await fetch(["a", "b", "c"], 2) == ["a", "b"]


@pytest.mark.asyncio
async def test_fetch_of_empty_feed():
    assert await fetch([], 5) == []
