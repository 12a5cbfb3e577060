"""Auto mode: pytest-asyncio drives every async fixture and test; @pytest.fixture is fine here."""

import asyncio

import pytest


def balance(entries: list[tuple[str, int]]) -> int:
    return sum(amount for _, amount in entries)


@pytest.fixture(scope="module")
async def fee_schedule():
    await asyncio.sleep(0)
    return {"wire": 25, "card": 3}


@pytest.fixture()
async def charged_ledger(ledger, fee_schedule):
    ledger.append(("wire fee", -fee_schedule["wire"]))
    return ledger


async def test_opening_balance(ledger):
    assert balance(ledger) == 1_000


async def test_fees_are_deducted(charged_ledger):
    assert balance(charged_ledger) == 975
