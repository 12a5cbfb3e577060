"""Order-book tests written for pytest-asyncio 0.23, when loop scopes were spelled scope=."""
import asyncio

import pytest

pytestmark = pytest.mark.asyncio(scope="module")

_loops: dict[str, asyncio.AbstractEventLoop] = {}


class OrderBook:
    def __init__(self) -> None:
        self.bids: list[tuple[float, int]] = []

    async def place(self, price: float, size: int) -> None:
        await asyncio.sleep(0)
        self.bids.append((price, size))
        self.bids.sort(reverse=True)

    def best_bid(self) -> float | None:
        return self.bids[0][0] if self.bids else None


async def test_first_order_sets_best_bid():
    _loops["module"] = asyncio.get_running_loop()
    book = OrderBook()
    await book.place(101.5, 10)
    assert book.best_bid() == 101.5


async def test_module_tests_share_one_loop():
    # the whole point of scope="module": both tests run in the same loop
    assert asyncio.get_running_loop() is _loops["module"]


@pytest.mark.asyncio(scope="class")
class TestMatching:
    async def test_higher_bid_wins(self):
        _loops["class"] = asyncio.get_running_loop()
        book = OrderBook()
        await book.place(100.0, 5)
        await book.place(100.5, 1)
        assert book.best_bid() == 100.5

    async def test_class_tests_share_one_loop(self):
        assert asyncio.get_running_loop() is _loops["class"]
        assert asyncio.get_running_loop() is not _loops["module"]


@pytest.mark.asyncio(
    scope="module",
)
async def test_multiline_mark_keeps_its_layout():
    assert asyncio.get_running_loop() is _loops["module"]
