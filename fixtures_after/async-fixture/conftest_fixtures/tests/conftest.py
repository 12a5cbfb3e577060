"""Fixtures for the inventory tests: a pricing service stub."""

import pytest_asyncio


@pytest_asyncio.fixture
async def unit_prices(store):
    await store.seed({"washer-m4": 500})
    return {sku: 0.05 if sku.startswith("washer") else 0.12 for sku in store.stock}
