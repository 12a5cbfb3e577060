import asyncio
from pathlib import Path

import pytest
import uvloop


@pytest.fixture
def chunks():
    return ["a\nb", "\nc"]


def pytest_asyncio_loop_factories(config, item):
    # test_parser.py's event_loop fixture gave its tests uvloop loops
    if item.path == Path(__file__).parent / "test_parser.py":
        return {"uvloop": uvloop.new_event_loop}
    return {"asyncio": asyncio.new_event_loop}  # the other tests: asyncio's own loop
