import asyncio

import pytest


class TestModeration:
    loops = []

    @pytest.fixture(scope="class")
    def event_loop(self):
        loop = asyncio.new_event_loop()
        yield loop
        loop.close()

    @pytest.mark.asyncio
    async def test_flag(self):
        self.loops.append(asyncio.get_running_loop())
        assert type(self.loops[0]).__module__.startswith("asyncio")  # not the root's uvloop

    @pytest.mark.asyncio
    async def test_unflag(self):
        self.loops.append(asyncio.get_running_loop())
        assert self.loops[0] is self.loops[1]
