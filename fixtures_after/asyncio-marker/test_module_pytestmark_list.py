import asyncio

import pytest

pytestmark = [
    pytest.mark.asyncio(loop_scope="module"),
    pytest.mark.filterwarnings("error::RuntimeWarning"),
]

_seen_loops: set[int] = set()


class Ledger:
    def __init__(self) -> None:
        self.entries: list[tuple[str, int]] = []

    async def post(self, account: str, amount: int) -> None:
        await asyncio.sleep(0)
        self.entries.append((account, amount))


async def test_post_records_entry():
    _seen_loops.add(id(asyncio.get_running_loop()))
    ledger = Ledger()
    await ledger.post("cash", 50)
    assert ledger.entries == [("cash", 50)]


async def test_tests_share_the_module_loop():
    _seen_loops.add(id(asyncio.get_running_loop()))
    assert len(_seen_loops) == 1
