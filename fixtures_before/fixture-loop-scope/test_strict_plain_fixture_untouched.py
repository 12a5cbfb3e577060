"""Strict mode: a plain @pytest.fixture coroutine is async-fixture's to convert, not ours.

``warehouse_snapshot`` is kept for the reporting plugin that looks it up by name; no test
in this module requests it.
"""
import asyncio

import pytest
import pytest_asyncio


@pytest.fixture(scope="module")
async def warehouse_snapshot():
    await asyncio.sleep(0)
    return {"aisle-1": 40, "aisle-2": 12}


@pytest_asyncio.fixture
async def stock():
    return {"aisle-1": 40}


@pytest.mark.asyncio
async def test_stock_level(stock):
    await asyncio.sleep(0)
    assert stock["aisle-1"] == 40
