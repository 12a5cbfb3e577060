"""Payment ledger: module-wide marks already exist; the module shares one loop."""

import asyncio

import pytest
import pytest_asyncio

pytestmark = [
    pytest.mark.asyncio(loop_scope="module"),
    pytest.mark.usefixtures("audit_log"),
]

AUDIT = []
LOOPS = []


@pytest.fixture
def audit_log():
    AUDIT.append("opened")
    yield AUDIT


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def ledger_lock():
    LOOPS.append(asyncio.get_running_loop())
    return asyncio.Lock()


@pytest_asyncio.fixture(loop_scope="module")
async def ledger(ledger_lock):
    async with ledger_lock:
        entry = {"balance": 100, "loop": asyncio.get_running_loop()}
    yield entry


async def test_debit(ledger, ledger_lock):
    async with ledger_lock:
        ledger["balance"] -= 30
    assert ledger["balance"] == 70


async def test_fixtures_share_the_test_loop(ledger):
    assert ledger["loop"] is asyncio.get_running_loop()
    assert LOOPS == [asyncio.get_running_loop()]
    assert AUDIT == ["opened", "opened"]
