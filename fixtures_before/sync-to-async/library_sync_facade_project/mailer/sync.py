"""Runs a coroutine to completion from sync code, on the current event loop."""
import asyncio


def async_to_sync(coro, loop=None):
    if loop is None:
        loop = asyncio.get_event_loop()
    if loop.is_running():
        raise RuntimeError("Event loop is already running.")
    return loop.run_until_complete(coro)
