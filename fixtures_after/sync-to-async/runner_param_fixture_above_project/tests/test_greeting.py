"""Sync tests that use conftest.py's flavour (directly or through greeting), each on
the event_loop of the module's own: nothing to change."""
import asyncio

import pytest


@pytest.fixture
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


async def echo(text):
    await asyncio.sleep(0)
    return text


def test_greeting(event_loop, greeting):
    assert event_loop.run_until_complete(echo(greeting)) == "hello from asyncio"


class TestFlavour:
    def test_flavour(self, event_loop, flavour):
        assert event_loop.run_until_complete(echo(flavour)) == "asyncio"
