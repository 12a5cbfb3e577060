"""A sync fixture seeds the database with asyncio.run; the tests are sync (must not touch)."""
import asyncio

import pytest

ROWS: dict[str, int] = {}


async def seed(rows: dict[str, int]) -> None:
    await asyncio.sleep(0)
    rows.update({"apples": 3, "pears": 5})


async def count(rows: dict[str, int]) -> int:
    await asyncio.sleep(0)
    return sum(rows.values())


@pytest.fixture
def rows() -> dict[str, int]:
    ROWS.clear()
    asyncio.run(seed(ROWS))
    return ROWS


def test_seeded(rows: dict[str, int]) -> None:
    assert rows == {"apples": 3, "pears": 5}


def test_count_runs_its_own_loop(rows: dict[str, int]) -> None:
    assert asyncio.run(count(rows)) == 8
    # nothing is running here: a sync library may start its own loop again
    assert asyncio.run(count(rows)) == 8
