"""Shared test helpers: a loop that counts the callbacks it runs."""

import asyncio

import pytest


class CountingLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        super().__init__()
        self.callbacks_run = 0

    def _run_once(self) -> None:
        self.callbacks_run += len(self._ready)
        super()._run_once()


@pytest.fixture
def event_loop():
    loop = CountingLoop()
    yield loop
    loop.close()


def make_payload(size: int) -> bytes:
    return b"x" * size
