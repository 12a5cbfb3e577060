import asyncio

import pytest


class Invoice:
    def __init__(self, *lines: int) -> None:
        self.lines = list(lines)

    async def total(self) -> int:
        await asyncio.sleep(0)
        return sum(self.lines)


async def check_invoice_total():
    assert await Invoice(10, 15, 5).total() == 30


async def test_style_helper(invoice):
    """Named like a default-config test, but this project collects check_* only."""
    return await invoice.total()


class CheckRefunds:
    async def check_partial_refund(self, billing_host):
        invoice = Invoice(100, -40)
        assert await invoice.total() == 60
        assert billing_host == "billing.internal"

    @pytest.mark.parametrize("lines", [(), (0, 0)])
    async def check_empty_invoice_is_zero(self, lines):
        assert await Invoice(*lines).total() == 0


class TestLegacyLayout:
    """Not collected: python_classes is Check*."""

    async def check_never_runs(self):
        raise AssertionError("not collected")
