"""Worker pool tests: the loop comes from a helper that also records unhandled task errors."""

import asyncio

import pytest

ERRORS = []


def make_loop():
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(lambda loop, context: ERRORS.append(context["message"]))
    return loop


@pytest.fixture
def event_loop():
    loop = make_loop()
    yield loop
    loop.close()


async def double(value):
    await asyncio.sleep(0)
    return value * 2


@pytest.mark.asyncio
async def test_double():
    assert await double(21) == 42
