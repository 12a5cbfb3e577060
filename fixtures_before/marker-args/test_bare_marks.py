"""Strict-mode tests with plain markers and marks that only look alike."""
import asyncio

import pytest


async def ping() -> str:
    await asyncio.sleep(0)
    return "pong"


@pytest.mark.asyncio
async def test_ping():
    assert await ping() == "pong"


@pytest.mark.asyncio
@pytest.mark.asyncio_slow
async def test_ping_slow_path():
    # a project-specific mark; pytest.mark.asyncio(scope="module") in a comment stays
    assert await ping() == "pong"


@pytest.mark.scope("module")
def test_scope_mark_is_someone_elses():
    doc = 'use @pytest.mark.asyncio(scope="module") for a module loop'
    assert "scope=" in doc


@pytest.mark.asyncio()
async def test_empty_parentheses():
    assert await ping() == "pong"


class TestPing:
    @pytest.mark.asyncio
    async def test_twice(self):
        assert [await ping(), await ping()] == ["pong", "pong"]
