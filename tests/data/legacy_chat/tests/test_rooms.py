import asyncio
import time

import pytest


@pytest.mark.asyncio
async def test_post_counts_messages(server, lobby):
    assert await server.post(lobby, "hello") == 1
    assert await server.post(lobby, "again") == 2


async def test_room_is_closed_after_each_test(server):
    assert "lobby" not in server.rooms


async def test_server_runs_in_the_test_loop(server, event_loop):
    assert server.loop is asyncio.get_running_loop()
    done = event_loop.create_future()
    event_loop.call_soon(done.set_result, "ok")
    assert await done == "ok"


async def test_uvloop_is_used():
    assert type(asyncio.get_running_loop()).__module__.startswith("uvloop")


async def test_posting_waits_politely(server, lobby):
    time.sleep(0.001)
    assert await server.post(lobby, "slow") == 1


def test_sync_code_still_works(server):
    assert server.rooms == {}
