import asyncio
from pathlib import Path

from tests.helpers import CountingLoop


def pytest_asyncio_loop_factories(config, item):
    # test_counting.py's event_loop fixture gave its tests CountingLoop loops
    if item.path == Path(__file__).parent / "test_counting.py":
        return {"CountingLoop": CountingLoop}
    return {"asyncio": asyncio.new_event_loop}  # the other tests: asyncio's own loop
