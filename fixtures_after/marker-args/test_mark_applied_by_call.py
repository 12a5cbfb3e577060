"""Helpers that apply the asyncio mark by calling it on a test: ``mark.asyncio(func)``
returns ``func``, marked. The argument is the test, not a loop scope."""

import asyncio

import pytest
from pytest import mark


def sync_and_async(spec):
    """Run a test once with a sync resolver and once with an async one."""
    return mark.asyncio(mark.parametrize("sync", (True, False), ids=("sync", "async"))(spec))


def asyncio_test(func):
    return pytest.mark.asyncio(func)


@sync_and_async
async def test_resolves_both_ways(sync):
    await asyncio.sleep(0)
    assert sync in (True, False)


@asyncio_test
async def test_runs_on_a_loop():
    assert asyncio.get_running_loop().is_running()
