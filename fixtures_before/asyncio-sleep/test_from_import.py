import asyncio
from time import sleep

import pytest


async def poll(flag: dict) -> int:
    attempts = 0
    while not flag["ready"]:
        attempts += 1
        sleep(0.001)
    return attempts


@pytest.mark.asyncio
async def test_poll_returns_once_flag_is_set():
    flag = {"ready": True}
    assert await poll(flag) == 0


@pytest.mark.asyncio
async def test_background_setter_runs_while_we_wait():
    flag = {"ready": False}

    async def setter() -> None:
        flag["ready"] = True

    task = asyncio.create_task(setter())
    sleep(0.01)
    await task
    assert flag["ready"]
