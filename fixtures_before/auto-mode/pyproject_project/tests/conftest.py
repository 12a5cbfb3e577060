import asyncio

import pytest
import pytest_asyncio


class Warehouse:
    def __init__(self) -> None:
        self.stock = {"widget": 10, "gadget": 0}
        self.reserved: dict[str, int] = {}
        self.lock = asyncio.Lock()

    async def reserve(self, sku: str, quantity: int) -> bool:
        async with self.lock:
            if self.stock.get(sku, 0) < quantity:
                return False
            self.stock[sku] -= quantity
            self.reserved[sku] = self.reserved.get(sku, 0) + quantity
            return True


@pytest_asyncio.fixture
async def warehouse():
    return Warehouse()


@pytest.fixture
def audit_log():
    log: list[str] = []
    yield log
    log.clear()
