import asyncio

import pytest

SEEN = []


@pytest.mark.asyncio
async def test_one():
    SEEN.append(asyncio.get_running_loop())


@pytest.mark.asyncio
async def test_two():
    SEEN.append(asyncio.get_running_loop())
    assert SEEN[0] is SEEN[1]
