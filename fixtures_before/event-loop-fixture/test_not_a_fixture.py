"""Helpers named event_loop that pytest never sees as fixtures."""

import asyncio

import pytest
import pytest_asyncio


def event_loop():
    """Factory for the CLI entry point, not a fixture."""
    return asyncio.new_event_loop()


def make_fixture():
    @pytest.fixture
    def event_loop():
        loop = asyncio.new_event_loop()
        yield loop
        loop.close()

    return event_loop


@pytest_asyncio.fixture
async def inbox():
    return asyncio.Queue()


def test_cli_factory_makes_fresh_loops():
    first, second = event_loop(), event_loop()
    try:
        assert first is not second
    finally:
        first.close()
        second.close()


@pytest.mark.asyncio
async def test_inbox_roundtrip(inbox):
    await inbox.put("hello")
    assert await inbox.get() == "hello"
