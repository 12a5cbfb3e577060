import asyncio

import pytest_asyncio


class Inventory:
    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.stock = {"kettle": 4, "teapot": 1}
        self.changes: asyncio.Queue[str] = asyncio.Queue()

    async def reserve(self, sku: str) -> bool:
        if self.stock.get(sku, 0) == 0:
            return False
        self.stock[sku] -= 1
        await self.changes.put(sku)
        return True


@pytest_asyncio.fixture(scope="session")
async def inventory():
    yield Inventory()
