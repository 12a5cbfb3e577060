import asyncio

import pytest


class RepositoryContract:
    """Shared tests for every repository implementation; they share one loop per class."""

    pytestmark = pytest.mark.asyncio(loop_scope="class")

    def make_repository(self):
        raise NotImplementedError

    async def test_save_then_load(self):
        repository = self.make_repository()
        await repository.save("order-1", {"total": 42})
        assert await repository.load("order-1") == {"total": 42}


class MemoryRepository:
    def __init__(self) -> None:
        self.rows: dict[str, dict] = {}

    async def save(self, key: str, row: dict) -> None:
        await asyncio.sleep(0)
        self.rows[key] = row

    async def load(self, key: str) -> dict | None:
        return self.rows.get(key)


class TestMemoryRepository(RepositoryContract):
    def make_repository(self):
        return MemoryRepository()

    # the bare mark puts this test back in a function loop: it must stay
    @pytest.mark.asyncio
    async def test_missing_key_loads_none(self):
        assert await self.make_repository().load("nope") is None
