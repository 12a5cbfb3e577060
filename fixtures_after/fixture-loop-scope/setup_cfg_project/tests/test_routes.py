import asyncio

import pytest
import pytest_asyncio


class RoutePlanner:
    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.cache: dict[tuple[str, str], int] = {}

    async def distance(self, origin: str, destination: str) -> int:
        key = (origin, destination)
        if key not in self.cache:
            await asyncio.sleep(0)
            self.cache[key] = abs(len(origin) - len(destination)) + 7
        return self.cache[key]


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def planner():
    return RoutePlanner()


@pytest.mark.asyncio
async def test_distance_is_cached(planner):
    first = await planner.distance("Leeds", "York")
    assert await planner.distance("Leeds", "York") == first
    assert ("Leeds", "York") in planner.cache
