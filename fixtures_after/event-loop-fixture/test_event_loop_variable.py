"""A thread-hosted loop for the sync client; the names say event_loop but no fixture is overridden."""

import asyncio
import threading

import pytest


def start_background_loop():
    event_loop = asyncio.new_event_loop()
    thread = threading.Thread(target=event_loop.run_forever, daemon=True)
    thread.start()
    return event_loop, thread


def call_in_loop(event_loop, coro):
    return asyncio.run_coroutine_threadsafe(coro, event_loop).result(timeout=1)


async def fetch_quote(symbol):
    await asyncio.sleep(0)
    return {"symbol": symbol, "price": 42}


@pytest.fixture
def event_loop_thread():
    event_loop, thread = start_background_loop()
    yield event_loop
    event_loop.call_soon_threadsafe(event_loop.stop)
    thread.join(timeout=1)
    event_loop.close()


def test_sync_client_uses_thread_loop(event_loop_thread):
    assert call_in_loop(event_loop_thread, fetch_quote("ACME"))["price"] == 42


@pytest.mark.asyncio
async def test_async_client_uses_running_loop():
    event_loop = asyncio.get_running_loop()
    assert event_loop.is_running()
    assert (await fetch_quote("ACME"))["symbol"] == "ACME"
