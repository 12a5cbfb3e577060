import asyncio
from pathlib import Path

import pytest


@pytest.fixture
def payload():
    return b"x" * 1024


def pytest_asyncio_loop_factories(config, item):
    # test_plain_loop.py's event_loop fixture gave its tests asyncio's own loop
    if item.path == Path(__file__).parent / "test_plain_loop.py":
        return {"asyncio": asyncio.new_event_loop}
    return None  # the other tests: the hook of the conftest.py above decides
