"""Shared fixtures for the search service tests (auto mode: no markers needed)."""
import asyncio

import pytest_asyncio


class FakeClock:
    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.started = self.loop.time()

    def elapsed(self) -> float:
        return self.loop.time() - self.started


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def clock():
    return FakeClock()
