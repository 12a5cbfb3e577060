import asyncio
from pathlib import Path


def pytest_asyncio_loop_factories(config, item):
    # test_ticks.py's event_loop fixture gave its tests TickLoop loops
    if item.path == Path(__file__).parent / "test_ticks.py":
        return {"TickLoop": item.module.TickLoop}
    return {"asyncio": asyncio.new_event_loop}  # the other tests: asyncio's own loop
