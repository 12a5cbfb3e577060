import asyncio
from pathlib import Path


def pytest_asyncio_loop_factories(config, item):
    # test_mixed.py's event_loop fixture gave its tests StepLoop loops
    if item.path == Path(__file__).parent / "test_mixed.py":
        from tests.loops import StepLoop
        return {"StepLoop": StepLoop}
    return {"asyncio": asyncio.new_event_loop}  # the other tests: asyncio's own loop
