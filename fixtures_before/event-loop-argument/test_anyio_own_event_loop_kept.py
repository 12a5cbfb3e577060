"""An anyio module that defines an event_loop fixture of its own (must not touch).

Its tests request it without reading it: the project's fixture is what they get on any
pytest-asyncio, so the request is sound and stays.
"""
import asyncio

import anyio
import pytest

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


async def test_sleep(event_loop):
    with anyio.fail_after(1):
        await anyio.sleep(0)
