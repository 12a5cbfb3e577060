"""Sync tests of a sync facade that runs on the current loop (pytest-asyncio 0.21).

The event_loop they request is not read in their bodies: it made a loop current for
async_to_sync(), which a helper of the project reads with asyncio.get_event_loop().
"""
import asyncio

import pytest

from mailer.sync import async_to_sync


async def answer():
    await asyncio.sleep(0)
    return 7


@pytest.mark.asyncio
async def test_answer():
    assert await answer() == 7


def test_async_to_sync_without_loop(event_loop):
    assert async_to_sync(answer()) == 7


def test_sum_needs_no_loop(event_loop):
    assert sum([3, 4]) == 7
