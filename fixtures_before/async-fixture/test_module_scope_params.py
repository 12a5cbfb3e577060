"""Currency conversion against a rates table loaded once per module."""

import asyncio
from decimal import Decimal

import pytest

RATES = {
    "EUR": {"USD": Decimal("1.10"), "GBP": Decimal("0.85")},
    "USD": {"EUR": Decimal("0.91"), "GBP": Decimal("0.77")},
}


async def load_rates(base: str) -> dict[str, Decimal]:
    await asyncio.sleep(0)
    return dict(RATES[base])


@pytest.fixture(
    scope="module",
    params=["EUR", "USD"],
    ids=["from-euro", "from-dollar"],
)
async def rate_table(request):
    table = await load_rates(request.param)
    return request.param, table


@pytest.fixture(scope="module")
async def gbp_only():
    table = await load_rates("EUR")
    return {k: v for k, v in table.items() if k == "GBP"}


def convert(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount * rate).quantize(Decimal("0.01"))


@pytest.mark.asyncio
async def test_every_base_converts_to_pounds(rate_table):
    base, table = rate_table
    assert base in ("EUR", "USD")
    assert convert(Decimal("100"), table["GBP"]) in (Decimal("85.00"), Decimal("77.00"))


@pytest.mark.asyncio
async def test_base_currency_is_not_in_its_own_table(rate_table):
    base, table = rate_table
    assert base not in table


def test_filtered_table_keeps_only_pounds(gbp_only):
    assert gbp_only == {"GBP": Decimal("0.85")}
