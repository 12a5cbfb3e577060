"""A module whose own fixture hands its tests to anyio by its parameters, and whose own
event_loop serves the sync tests that drive coroutines on it: nothing to change."""
import asyncio

import pytest


@pytest.fixture
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(params=[pytest.param("asyncio", marks=pytest.mark.anyio)])
def flavour(request):
    return request.param


async def describe(flavour):
    await asyncio.sleep(0)
    return f"running on {flavour}"


def test_describe(event_loop, flavour):
    assert event_loop.run_until_complete(describe(flavour)) == "running on asyncio"


@pytest.mark.usefixtures("flavour")
def test_describe_by_usefixtures(event_loop):
    assert event_loop.run_until_complete(describe("trio")) == "running on trio"
