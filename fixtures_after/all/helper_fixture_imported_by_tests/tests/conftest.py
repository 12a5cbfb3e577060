import asyncio
from pathlib import Path


def pytest_asyncio_loop_factories(config, item):
    # test_callbacks.py's event_loop fixture gave its tests SteppingLoop loops
    if item.path == Path(__file__).parent / "test_callbacks.py":
        from pkg.test_utils import SteppingLoop
        return {"SteppingLoop": SteppingLoop}
    # test_steps.py's event_loop fixture gave its tests SteppingLoop loops
    if item.path == Path(__file__).parent / "test_steps.py":
        from pkg.test_utils import SteppingLoop
        return {"SteppingLoop": SteppingLoop}
    # test_timing.py's event_loop fixture gave its tests SteppingLoop loops
    if item.path == Path(__file__).parent / "test_timing.py":
        from pkg.test_utils import SteppingLoop
        return {"SteppingLoop": SteppingLoop}
    return {"asyncio": asyncio.new_event_loop}  # the other tests: asyncio's own loop
