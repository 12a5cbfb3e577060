import asyncio
from pathlib import Path

import uvloop


def pytest_asyncio_loop_factories(config, item):
    # test_fast_path.py's event_loop_policy fixture gave its tests uvloop loops
    if item.path == Path(__file__).parent / "test_fast_path.py":
        return {"uvloop": uvloop.new_event_loop}
    # test_recording.py's event_loop_policy fixture gave its tests RecordingLoop loops
    if item.path == Path(__file__).parent / "test_recording.py":
        return {"RecordingLoop": item.module.RecordingLoop}
    return {"asyncio": asyncio.new_event_loop}  # the other tests: asyncio's own loop
