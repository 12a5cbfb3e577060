"""A module-scoped loop where some classes mark their tests themselves: only the bare marks
that nothing closer would replace can go."""

import asyncio

import pytest

LOOPS = []


@pytest.fixture(scope="module")
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.mark.asyncio
async def test_first():
    LOOPS.append(asyncio.get_running_loop())


class TestMarkedInItsBody:
    pytestmark = [pytest.mark.asyncio]

    @pytest.mark.asyncio
    async def test_keeps_a_scoped_mark(self):
        LOOPS.append(asyncio.get_running_loop())


class AsyncBase:
    pytestmark = [pytest.mark.asyncio]


class TestInheritsAMark(AsyncBase):
    @pytest.mark.asyncio
    async def test_keeps_a_scoped_mark_too(self):
        LOOPS.append(asyncio.get_running_loop())


class TestPlain:
    @pytest.mark.asyncio
    async def test_loses_its_bare_mark(self):
        LOOPS.append(asyncio.get_running_loop())


@pytest.mark.asyncio
async def test_every_test_ran_in_the_modules_loop():
    assert len(LOOPS) == 4
    assert all(loop is asyncio.get_running_loop() for loop in LOOPS)
