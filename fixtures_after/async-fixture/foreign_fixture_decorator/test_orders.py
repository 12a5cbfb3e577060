import asyncio

import pytest
from acme_testing import DECLARED, fixture


@fixture
async def order_id():
    await asyncio.sleep(0)
    return "ORD-7"


@fixture(scope="module")
async def shipping_zones():
    return {"EU": 4.5, "US": 9.0}


@pytest.mark.asyncio
async def test_order_id_comes_from_the_backend(order_id):
    assert order_id == "ORD-7"


@pytest.mark.asyncio
async def test_zones_are_priced(shipping_zones):
    assert shipping_zones["EU"] < shipping_zones["US"]


def test_helpers_registered_the_fixtures():
    assert DECLARED == ["order_id", "shipping_zones"]
