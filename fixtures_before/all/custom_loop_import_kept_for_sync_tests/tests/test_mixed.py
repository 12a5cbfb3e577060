"""A sync test reads the loop the imported override made; an async test runs on it."""

import asyncio

from tests.loops import event_loop  # noqa: F401


async def test_async():
    assert type(asyncio.get_running_loop()).__name__ == "StepLoop"


def test_sync(event_loop):
    assert type(event_loop).__name__ == "StepLoop"
