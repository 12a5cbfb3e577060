"""Tests that shared the session-wide loop of the conftest's event_loop override (pytest-asyncio 0.24)."""
import asyncio

import pytest
import pytest_asyncio

SEEN = []


async def where():
    await asyncio.sleep(0)
    return asyncio.get_running_loop()


@pytest_asyncio.fixture(loop_scope="session")
async def fixture_loop():
    return await where()


@pytest.mark.asyncio(loop_scope="session")
async def test_same_loop(fixture_loop):
    loop = await where()
    assert loop is fixture_loop
    SEEN.append(loop)


@pytest.mark.asyncio(loop_scope="session")
async def test_session_loop_shared(fixture_loop):
    loop = await where()
    SEEN.append(loop)
    assert SEEN[0] is SEEN[1]
