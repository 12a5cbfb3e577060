"""Shared fixtures: an in-memory warehouse store seeded once per session."""

import asyncio

import pytest


class WarehouseStore:
    def __init__(self) -> None:
        self.stock: dict[str, int] = {}
        self.closed = False

    async def seed(self, rows: dict[str, int]) -> None:
        await asyncio.sleep(0)
        self.stock.update(rows)

    async def reserve(self, sku: str, quantity: int) -> bool:
        await asyncio.sleep(0)
        if self.stock.get(sku, 0) < quantity:
            return False
        self.stock[sku] -= quantity
        return True

    async def close(self) -> None:
        self.closed = True


@pytest.fixture(scope="session")
async def seed_rows():
    await asyncio.sleep(0)
    return {"bolt-m4": 100, "nut-m4": 40}


@pytest.fixture
async def store(seed_rows):
    store = WarehouseStore()
    await store.seed(seed_rows)
    yield store
    await store.close()
