import asyncio

import pytest
from pytest_asyncio import is_async_test


class TicketQueue:
    def __init__(self) -> None:
        self.open: list[str] = []

    async def submit(self, title: str) -> int:
        await asyncio.sleep(0)
        self.open.append(title)
        return len(self.open)


@pytest.mark.asyncio
@pytest.fixture
async def queue():
    return TicketQueue()


def pytest_collection_modifyitems(items):
    for item in items:
        if is_async_test(item):
            item.add_marker(pytest.mark.asyncio(scope="session"), append=False)
