"""Billing-run tests from a codebase that imports pytest as pt."""
import asyncio

import pytest as pt
import pytest_asyncio

_loops: dict[str, asyncio.AbstractEventLoop] = {}


@pt.mark.asyncio(scope="module")
@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def ledger():
    await asyncio.sleep(0)
    return {"acme": 120, "globex": 0}


class TestBillingRun:
    pytestmark = pt.mark.asyncio_event_loop

    @pt.mark.asyncio
    async def test_charges_positive_balances(self, ledger):
        _loops["billing"] = asyncio.get_running_loop()
        assert sorted(k for k, v in ledger.items() if v > 0) == ["acme"]

    @pt.mark.asyncio
    async def test_run_shares_class_loop(self):
        assert asyncio.get_running_loop() is _loops["billing"]


@pt.mark.asyncio(loop_scope="module")
async def test_fixture_loop_is_module_loop(ledger):
    assert ledger["globex"] == 0
