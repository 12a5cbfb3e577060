"""Tests that shared the session-wide loop of the conftest's event_loop override (pytest-asyncio 0.24)."""
import asyncio

import pytest

SEEN = []


async def where():
    await asyncio.sleep(0)
    return asyncio.get_running_loop()


@pytest.fixture
def fixture_loop(event_loop):
    return event_loop.run_until_complete(where())


def test_same_loop(fixture_loop, event_loop):
    loop = event_loop.run_until_complete(where())
    assert loop is fixture_loop
    SEEN.append(loop)


def test_session_loop_shared(fixture_loop, event_loop):
    loop = event_loop.run_until_complete(where())
    SEEN.append(loop)
    assert SEEN[0] is SEEN[1]
