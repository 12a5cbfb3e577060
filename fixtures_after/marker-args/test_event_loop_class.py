"""Chat-room tests written for pytest-asyncio 0.22's asyncio_event_loop mark."""
import asyncio

import pytest

_loops: dict[str, asyncio.AbstractEventLoop] = {}


class Room:
    def __init__(self) -> None:
        self.members: set[str] = set()

    async def join(self, user: str) -> int:
        await asyncio.sleep(0)
        self.members.add(user)
        return len(self.members)


@pytest.mark.asyncio(loop_scope="class")
class TestRoom:
    async def test_join(self):
        _loops["room"] = asyncio.get_running_loop()
        assert await Room().join("ada") == 1

    # the second test must see the same loop as the first
    async def test_same_loop(self):
        assert asyncio.get_running_loop() is _loops["room"]


@pytest.mark.asyncio(loop_scope="class")
class TestModeration:
    async def test_join_twice(self):
        _loops["moderation"] = asyncio.get_running_loop()
        room = Room()
        await room.join("ada")
        assert await room.join("ada") == 1

    async def test_same_loop(self):
        assert asyncio.get_running_loop() is _loops["moderation"]


class UvloopPolicy(asyncio.DefaultEventLoopPolicy):
    """Stands in for uvloop.EventLoopPolicy in this suite."""


@pytest.mark.asyncio_event_loop(policy=UvloopPolicy())
class TestFastPath:
    @pytest.mark.asyncio
    async def test_join_many(self):
        room = Room()
        for name in ("ada", "bob", "cy"):
            await room.join(name)
        assert len(room.members) == 3
