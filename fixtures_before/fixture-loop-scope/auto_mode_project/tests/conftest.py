"""Shared fixtures for the search service tests (auto mode: no markers needed)."""
import asyncio

import pytest


class FakeClock:
    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.started = self.loop.time()

    def elapsed(self) -> float:
        return self.loop.time() - self.started


@pytest.fixture(scope="session")
async def clock():
    return FakeClock()
