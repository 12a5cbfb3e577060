"""Invoice tests: some are sync but were marked asyncio along with the rest."""
import asyncio
from decimal import Decimal
from unittest import mock

import pytest


def parse_amount(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


async def fetch_rate(currency: str) -> Decimal:
    await asyncio.sleep(0)
    return {"EUR": Decimal("1.10"), "USD": Decimal("1")}[currency]


def retry_twice(func):
    """The billing team's retry helper (sync)."""

    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ValueError:
            return func(*args, **kwargs)

    return wrapper


@pytest.mark.asyncio
def test_parse_amount_strips_commas():
    assert parse_amount("1,250.00") == Decimal("1250.00")


@pytest.mark.parametrize("text", ["0", "0.00"])
# zero amounts are allowed on credit notes
@pytest.mark.asyncio
def test_parse_zero(text):
    assert parse_amount(text) == 0


@mock.patch("decimal.getcontext")
@pytest.mark.asyncio
def test_parse_does_not_touch_context(getcontext):
    parse_amount("3")
    getcontext.assert_not_called()


@retry_twice
@pytest.mark.asyncio
def test_wrapped_by_retry_helper():
    assert parse_amount("7") == 7


@pytest.mark.asyncio
async def test_convert_eur():
    assert await fetch_rate("EUR") * 10 == Decimal("11.00")


class TestRounding:
    @pytest.mark.asyncio
    def test_quantize_half_even(self):
        assert Decimal("2.345").quantize(Decimal("0.01")) == Decimal("2.34")

    @pytest.mark.asyncio
    async def test_rate_is_decimal(self):
        assert isinstance(await fetch_rate("USD"), Decimal)
