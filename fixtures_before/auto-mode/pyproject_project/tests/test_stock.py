import pytest

pytestmark = [pytest.mark.asyncio, pytest.mark.usefixtures("audit_log")]


async def test_reserve_takes_from_stock(warehouse):
    assert await warehouse.reserve("widget", 3)
    assert warehouse.stock["widget"] == 7


async def test_cannot_reserve_what_is_missing(warehouse):
    assert not await warehouse.reserve("gadget", 1)
