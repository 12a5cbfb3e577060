import asyncio
import hashlib

import pytest


def checksum(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


@pytest.mark.asyncio
async def test_checksum_runs_in_executor():
    event_loop = asyncio.get_running_loop()
    digest = await event_loop.run_in_executor(None, checksum, b"invoice-2041")
    assert digest == checksum(b"invoice-2041")


@pytest.mark.asyncio
async def test_future_resolved_by_callback():
    """A delivery receipt arrives through a loop callback."""
    event_loop = asyncio.get_running_loop()
    receipt = event_loop.create_future()
    event_loop.call_soon(receipt.set_result, "delivered")
    assert await asyncio.wait_for(receipt, timeout=1) == "delivered"


@pytest.mark.asyncio
async def test_queue_bound_to_test_loop():
    # the old README passed the loop explicitly everywhere
    outbox = asyncio.Queue()
    await outbox.put("order-7")
    await asyncio.sleep(0)
    assert outbox.get_nowait() == "order-7"


@pytest.mark.asyncio
async def test_timer_fires_later():

    event_loop = asyncio.get_running_loop()
    fired = []
    handle = event_loop.call_later(0.01, fired.append, "tick")
    await asyncio.sleep(
        0.02,
    )
    assert fired == ["tick"]
    assert handle.when() <= event_loop.time()


@pytest.mark.asyncio
async def test_gather_with_loop_only():
    totals = await asyncio.gather(
        asyncio.sleep(0, result=3), asyncio.sleep(0, result=4)
    )
    assert sum(totals) == 7
