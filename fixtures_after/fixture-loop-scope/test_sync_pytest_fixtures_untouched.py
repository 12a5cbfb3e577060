"""Plain sync pytest fixtures never touch an event loop, whatever their scope."""
import json

import pytest


@pytest.fixture(scope="session")
def catalogue():
    return json.loads('{"apple": 3, "pear": 4, "plum": 2}')


@pytest.fixture(scope="module", params=[1, 5])
def order_size(request):
    return request.param


@pytest.fixture(
    scope="class",
)
def shelf(catalogue):
    return sorted(catalogue)


@pytest.mark.asyncio
async def test_catalogue_prices_are_positive(catalogue):
    assert all(price > 0 for price in catalogue.values())


class TestShelf:
    def test_shelf_is_sorted(self, shelf):
        assert shelf == ["apple", "pear", "plum"]

    def test_order_total(self, catalogue, order_size):
        assert catalogue["plum"] * order_size in {2, 10}
