import asyncio

import pytest
import pytest_asyncio


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def ledger():
    return {"entries": asyncio.Queue()}


@pytest.mark.asyncio
async def test_entry_is_queued(ledger):
    await ledger["entries"].put(10)
    assert ledger["entries"].qsize() == 1
