import asyncio
import os

import pytest

LOOPS = []


async def submit(amount):
    await asyncio.sleep(0)
    path = os.path.join(os.environ["PAYMENTS_SPOOL"], f"{amount}.json")
    with open(path, "w") as spool_file:
        spool_file.write("{}")
    return os.environ["PAYMENTS_SANDBOX"] == "1"


@pytest.mark.asyncio
async def test_submit_goes_to_sandbox():
    LOOPS.append(asyncio.get_running_loop())
    assert await submit(10)


@pytest.mark.asyncio
async def test_spool_is_shared_across_the_session():
    LOOPS.append(asyncio.get_running_loop())
    assert await submit(20)
    assert sorted(os.listdir(os.environ["PAYMENTS_SPOOL"])) == ["10.json", "20.json"]
    assert LOOPS[0] is LOOPS[1]
