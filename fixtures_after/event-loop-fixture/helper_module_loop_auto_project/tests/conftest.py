import asyncio
from pathlib import Path


def pytest_asyncio_loop_factories(config, item):
    # test_timeouts.py's event_loop fixture gave its tests JumpingLoop loops
    if item.path == Path(__file__).parent / "test_timeouts.py":
        from tests.loops import JumpingLoop
        return {"JumpingLoop": JumpingLoop}
    return {"asyncio": asyncio.new_event_loop}  # the other tests: asyncio's own loop
