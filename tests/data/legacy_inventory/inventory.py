"""A tiny async stock service used by the legacy test-suite."""

from __future__ import annotations

import asyncio


class OutOfStock(Exception):
    pass


class Store:
    def __init__(self) -> None:
        self._stock: dict[str, int] = {}
        self.connected = False
        self.loop_at_connect: asyncio.AbstractEventLoop | None = None

    async def connect(self) -> None:
        await asyncio.sleep(0)
        self.connected = True
        self.loop_at_connect = asyncio.get_running_loop()

    async def close(self) -> None:
        self.connected = False

    async def add(self, sku: str, quantity: int) -> None:
        await asyncio.sleep(0)
        self._stock[sku] = self._stock.get(sku, 0) + quantity

    async def take(self, sku: str, quantity: int) -> int:
        await asyncio.sleep(0)
        available = self._stock.get(sku, 0)
        if available < quantity:
            raise OutOfStock(sku)
        self._stock[sku] = available - quantity
        return self._stock[sku]

    def level(self, sku: str) -> int:
        return self._stock.get(sku, 0)
