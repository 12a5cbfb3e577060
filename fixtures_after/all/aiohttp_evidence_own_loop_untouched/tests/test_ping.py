import asyncio

import aiohttp


async def fetch(url):
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as resp:
            return resp.status, await resp.text()


def test_ping(loop, pong_url):
    status, text = loop.run_until_complete(asyncio.wait_for(fetch(pong_url), timeout=2))
    assert (status, text) == (200, "pong")


def test_the_loop_is_fresh(loop):
    assert not loop.is_running()
    assert loop.run_until_complete(asyncio.sleep(0, result="done")) == "done"
