import asyncio

import pytest

LOOPS = []


def normalise(topic):
    return topic.strip().lower().replace(" ", ".")


@pytest.mark.asyncio
async def test_normalise_spaces():
    LOOPS.append(asyncio.get_running_loop())
    assert normalise(" Orders Created ") == "orders.created"


@pytest.mark.asyncio
async def test_unit_tests_keep_function_loops():
    LOOPS.append(asyncio.get_running_loop())
    assert LOOPS[0] is not LOOPS[1]
