"""A module run by anyio: its fixtures belong to anyio, not pytest-asyncio."""
import pytest

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def anyio_backend():
    return "asyncio"


class Ledger:
    def __init__(self) -> None:
        self.entries: list[int] = []

    async def record(self, amount: int) -> None:
        self.entries.append(amount)


@pytest.fixture(scope="module")
async def ledger():
    ledger = Ledger()
    await ledger.record(100)
    yield ledger


async def test_opening_balance(ledger):
    assert ledger.entries[0] == 100


async def test_record_appends(ledger):
    await ledger.record(-30)
    assert ledger.entries[-1] == -30
