"""Async tests awaiting what the tracker made on its loop (pytest-asyncio 0.21 style)."""
import asyncio

import pytest


@pytest.mark.asyncio
async def test_shipping_is_awaited(tracker):
    assert tracker.loop is asyncio.get_running_loop()
    tracker.ship("parcel-1")
    assert await asyncio.wait_for(tracker.shipped, timeout=2) == "parcel-1"
