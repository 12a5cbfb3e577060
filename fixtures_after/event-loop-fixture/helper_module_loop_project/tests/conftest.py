import asyncio
from pathlib import Path


def pytest_asyncio_loop_factories(config, item):
    # test_counting.py's event_loop fixture gave its tests CountingLoop loops
    if item.path == Path(__file__).parent / "test_counting.py":
        from tests.helpers import CountingLoop
        return {"CountingLoop": CountingLoop}
    return {"asyncio": asyncio.new_event_loop}  # the other tests: asyncio's own loop
