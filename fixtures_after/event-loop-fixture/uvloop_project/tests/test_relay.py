import asyncio

import pytest
import pytest_asyncio
import uvloop

LOOPS = []


@pytest_asyncio.fixture(scope="session")
async def relay():
    return {"loop": asyncio.get_running_loop(), "sent": []}


@pytest.mark.asyncio
async def test_relay_runs_on_uvloop(relay):
    LOOPS.append(asyncio.get_running_loop())
    assert isinstance(asyncio.get_running_loop(), uvloop.Loop)
    relay["sent"].append("tick")


@pytest.mark.asyncio
async def test_relay_keeps_one_session_loop(relay):
    LOOPS.append(asyncio.get_running_loop())
    assert LOOPS[0] is LOOPS[1] is relay["loop"]
    assert relay["sent"] == ["tick"]
