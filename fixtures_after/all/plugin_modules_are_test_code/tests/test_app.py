import asyncio

import pytest


@pytest.mark.asyncio
async def test_service_is_ready(service):
    assert service.ready.is_set()


@pytest.mark.asyncio
async def test_db_has_a_row(db):
    assert await db.get() == "row"


@pytest.mark.asyncio
async def test_ticker_ticks(ticker):
    await asyncio.sleep(0.01)
    assert ticker == ["tick"]
