import asyncio

import pytest

# reservations race each other on purpose
pytestmark = [
    pytest.mark.filterwarnings("ignore:reservation cache is cold"),
]


async def test_concurrent_reservations_never_oversell(warehouse):
    results = await asyncio.gather(*(warehouse.reserve("widget", 4) for _ in range(3)))
    assert results.count(True) == 2
    assert warehouse.stock["widget"] == 2


class TestReservationLedger:
    pytestmark = [pytest.mark.usefixtures("audit_log")]

    async def test_ledger_counts_reserved_units(self, warehouse):
        await warehouse.reserve("widget", 2)
        await warehouse.reserve("widget", 1)
        assert warehouse.reserved == {"widget": 3}
