import asyncio

import pytest


@pytest.mark.asyncio
async def test_quotes_share_the_feed_loop(feed, quotes):
    # a module loop for quotes would make this fail: both were made on the session loop
    assert quotes.loop is feed.loop is asyncio.get_running_loop()
    assert await asyncio.wait_for(feed.prices.get(), timeout=1) == 101.5


@pytest.mark.asyncio
async def test_a_sync_test_drives_the_session_loop(feed):
    await feed.push(99.0)
    assert await asyncio.wait_for(feed.prices.get(), timeout=1) == 99.0
