"""A class-scoped event_loop override that starts a service for the class's tests.

pytest 9 deprecates a class-scoped fixture defined as an instance method
(PytestRemovedIn10Warning, an error under -W error::pytest.PytestDeprecationWarning): the
setup fixture it becomes is a classmethod.
"""
import asyncio

import pytest
import pytest_asyncio

STATE: list[str] = []


async def start() -> None:
    await asyncio.sleep(0)
    STATE.append("up")


async def stop() -> None:
    await asyncio.sleep(0)
    STATE.remove("up")


@pytest.mark.asyncio(loop_scope="class")
class TestService:
    @pytest_asyncio.fixture(scope="class", loop_scope="class", autouse=True)
    @classmethod
    async def setup_started(cls):
        await start()
        cls.started = True
        yield
        await stop()

    async def test_up(self):
        assert STATE == ["up"]

    async def test_up_again(self):
        assert STATE == ["up"]
