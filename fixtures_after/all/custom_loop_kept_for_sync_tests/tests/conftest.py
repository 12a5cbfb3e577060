import asyncio
from pathlib import Path


def pytest_asyncio_loop_factories(config, item):
    # test_scheduler.py's event_loop fixture gave its tests JumpingLoop loops
    if item.path == Path(__file__).parent / "test_scheduler.py":
        return {"JumpingLoop": item.module.JumpingLoop}
    return {"asyncio": asyncio.new_event_loop}  # the other tests: asyncio's own loop
