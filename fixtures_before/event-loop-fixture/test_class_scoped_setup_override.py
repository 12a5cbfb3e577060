"""A class-scoped event_loop override that starts a service for the class's tests.

pytest 9 deprecates a class-scoped fixture defined as an instance method
(PytestRemovedIn10Warning, an error under -W error::pytest.PytestDeprecationWarning): the
setup fixture it becomes is a classmethod.
"""
import asyncio

import pytest

STATE: list[str] = []


async def start() -> None:
    await asyncio.sleep(0)
    STATE.append("up")


async def stop() -> None:
    await asyncio.sleep(0)
    STATE.remove("up")


class TestService:
    @pytest.fixture(scope="class")
    def event_loop(self):
        loop = asyncio.new_event_loop()
        loop.run_until_complete(start())
        self.started = True
        yield loop
        loop.run_until_complete(stop())
        loop.close()

    @pytest.mark.asyncio
    async def test_up(self):
        assert STATE == ["up"]

    @pytest.mark.asyncio
    async def test_up_again(self):
        assert STATE == ["up"]
