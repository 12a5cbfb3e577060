import asyncio
from dataclasses import dataclass, field

from pytest import fixture, mark


@dataclass
class ShoppingCart:
    items: dict[str, int] = field(default_factory=dict)

    async def add(self, sku: str, quantity: int = 1) -> None:
        await asyncio.sleep(0)
        self.items[sku] = self.items.get(sku, 0) + quantity


@fixture
async def cart():
    cart = ShoppingCart()
    await cart.add("apple", 3)
    return cart


@fixture(name="full_cart")
async def cart_with_everything(cart):
    await cart.add("pear")
    await cart.add("apple")
    yield cart


@mark.asyncio
async def test_cart_starts_with_apples(cart):
    assert cart.items == {"apple": 3}


@mark.asyncio
async def test_adding_again_sums_quantities(full_cart):
    assert full_cart.items == {"apple": 4, "pear": 1}
