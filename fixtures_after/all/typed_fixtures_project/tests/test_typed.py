import asyncio
import typing
from collections.abc import AsyncIterable, AsyncIterator
from typing import AsyncGenerator

import pytest
import pytest_asyncio


class Store:
    async def open(self) -> None:
        await asyncio.sleep(0)

    async def close(self) -> None:
        await asyncio.sleep(0)


@pytest_asyncio.fixture
async def store() -> AsyncIterator[Store]:
    s = Store()
    await s.open()
    yield s
    await s.close()


@pytest_asyncio.fixture
async def names() -> AsyncGenerator[str, None]:
    await asyncio.sleep(0)
    yield "ada"


@pytest_asyncio.fixture
async def numbers() -> typing.AsyncGenerator[int, None]:
    await asyncio.sleep(0)
    yield 1


@pytest_asyncio.fixture
async def letters() -> AsyncIterable[str]:
    await asyncio.sleep(0)
    yield "a"


@pytest.mark.asyncio
async def test_the_fixtures_keep_their_types(
    store: Store, names: str, numbers: int, letters: str
) -> None:
    await store.open()
    assert names == "ada" and numbers == 1 and letters == "a"
