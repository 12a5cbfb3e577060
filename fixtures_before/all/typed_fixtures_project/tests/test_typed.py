import asyncio
import typing
from collections.abc import Iterable, Iterator
from typing import Generator

import pytest


class Store:
    async def open(self) -> None:
        await asyncio.sleep(0)

    async def close(self) -> None:
        await asyncio.sleep(0)


@pytest.fixture
def store(event_loop: asyncio.AbstractEventLoop) -> Iterator[Store]:
    s = Store()
    event_loop.run_until_complete(s.open())
    yield s
    event_loop.run_until_complete(s.close())


@pytest.fixture
def names(event_loop: asyncio.AbstractEventLoop) -> Generator[str, None, None]:
    event_loop.run_until_complete(asyncio.sleep(0))
    yield "ada"


@pytest.fixture
def numbers(event_loop: asyncio.AbstractEventLoop) -> typing.Generator[int, None, None]:
    event_loop.run_until_complete(asyncio.sleep(0))
    yield 1


@pytest.fixture
def letters(event_loop: asyncio.AbstractEventLoop) -> Iterable[str]:
    event_loop.run_until_complete(asyncio.sleep(0))
    yield "a"


def test_the_fixtures_keep_their_types(
    event_loop: asyncio.AbstractEventLoop, store: Store, names: str, numbers: int, letters: str
) -> None:
    event_loop.run_until_complete(store.open())
    assert names == "ada" and numbers == 1 and letters == "a"
