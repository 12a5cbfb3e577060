"""Helpers that take a loop explicitly are not fixtures: callers pass the loop in."""

import asyncio

import pytest


class Dispatcher:
    def __init__(self, event_loop=None):
        self.event_loop = event_loop or asyncio.get_running_loop()
        self.sent = []

    def schedule(self, message):
        self.event_loop.call_soon(self.sent.append, message)


def attach_dispatcher(event_loop):
    return Dispatcher(event_loop=event_loop)


async def drain(dispatcher, event_loop):
    done = event_loop.create_future()
    event_loop.call_soon(done.set_result, None)
    await done
    return list(dispatcher.sent)


@pytest.mark.asyncio
async def test_dispatcher_delivers():
    event_loop = asyncio.get_running_loop()
    dispatcher = attach_dispatcher(event_loop)
    dispatcher.schedule("welcome-email")
    assert await drain(dispatcher, event_loop) == ["welcome-email"]


@pytest.mark.asyncio
async def test_dispatcher_defaults_to_running_loop(event_loop=None):
    dispatcher = Dispatcher(event_loop=event_loop)
    assert dispatcher.event_loop is asyncio.get_running_loop()


@pytest.mark.asyncio
@pytest.mark.parametrize("event_loop", ["primary", "replica"])
async def test_named_loops_are_labels(event_loop):
    assert event_loop in {"primary", "replica"}


@pytest.mark.asyncio
async def test_nested_helper_takes_a_loop():
    def make(event_loop):
        return Dispatcher(event_loop)

    dispatcher = make(asyncio.get_running_loop())
    assert dispatcher.event_loop.is_running()


def test_sync_helper_builds_dispatcher_for_a_fresh_loop():
    event_loop = asyncio.new_event_loop()
    try:
        dispatcher = attach_dispatcher(event_loop)
        dispatcher.schedule("digest")
        event_loop.run_until_complete(asyncio.sleep(0))
        assert dispatcher.sent == ["digest"]
    finally:
        event_loop.close()
