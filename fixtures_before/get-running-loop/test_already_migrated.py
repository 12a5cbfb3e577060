"""Migrated by hand earlier: asyncio.get_event_loop() was replaced everywhere."""

import asyncio

import pytest
import pytest_asyncio


@pytest_asyncio.fixture
async def inbox():
    loop = asyncio.get_running_loop()
    box = asyncio.Queue()
    loop.call_soon(box.put_nowait, "welcome")
    yield box


@pytest.mark.asyncio
async def test_inbox_has_welcome_message(inbox):
    # was: loop = asyncio.get_event_loop()
    loop = asyncio.get_running_loop()
    assert loop.is_running()
    assert await asyncio.wait_for(inbox.get(), timeout=1) == "welcome"
