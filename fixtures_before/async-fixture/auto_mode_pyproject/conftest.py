import asyncio

import pytest


@pytest.fixture
async def ledger():
    await asyncio.sleep(0)
    entries: list[tuple[str, int]] = [("opening", 1_000)]
    yield entries
    entries.clear()
