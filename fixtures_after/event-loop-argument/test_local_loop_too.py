"""A test that takes event_loop and also binds the current loop to a local: one name where both
can be one, else the local reads the fixture's name (never two get_running_loop() lines)."""

import asyncio

import pytest


def render(page):
    return f"<h1>{page}</h1>"


@pytest.mark.asyncio
async def test_render_off_loop():
    loop = asyncio.get_running_loop()
    html = await loop.run_in_executor(None, render, "home")
    started = loop.time()
    assert loop.time() >= started
    assert html == "<h1>home</h1>"


@pytest.mark.asyncio
async def test_clock_read_before_the_local():
    event_loop = asyncio.get_running_loop()
    started = event_loop.time()
    loop = event_loop
    html = await loop.run_in_executor(None, render, "about")
    assert loop.time() >= started
    assert html == "<h1>about</h1>"


@pytest.mark.asyncio
async def test_callback_takes_its_own_loop():
    event_loop = asyncio.get_running_loop()
    loop = event_loop
    done = loop.create_future()
    event_loop.call_soon(lambda loop: done.set_result((loop, event_loop)), "its own")
    assert await done == ("its own", loop)
