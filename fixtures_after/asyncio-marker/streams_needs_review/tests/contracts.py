"""Shared checks for every stream implementation; all of them run in one loop per class."""

import asyncio

import pytest


class StreamContract:
    pytestmark = pytest.mark.asyncio(loop_scope="class")
    loops: set[int] = set()

    async def test_runs_in_the_class_loop(self):
        type(self).loops.add(id(asyncio.get_running_loop()))
        assert len(type(self).loops) == 1

    async def test_still_in_the_class_loop(self):
        type(self).loops.add(id(asyncio.get_running_loop()))
        assert len(type(self).loops) == 1
