import asyncio
import time

import pytest


@pytest.mark.asyncio
async def test_one_statement_kept():
    ran = []
    asyncio.get_running_loop().call_soon(ran.append, "tick")
    time.sleep(0.001)  # migrate-async: skip
    assert ran == []
    await asyncio.sleep(0.001)


@pytest.mark.asyncio  # migrate-async: skip
async def test_whole_function_kept():
    ran = []
    asyncio.get_running_loop().call_soon(ran.append, "tick")
    time.sleep(0.001)
    time.sleep(0.001)
    assert ran == []


@pytest.mark.asyncio
async def test_header_line_kept():  # migrate-async: skip
    time.sleep(0.001)


@pytest.mark.asyncio
async def test_rewritten():
    await asyncio.sleep(0.001)
