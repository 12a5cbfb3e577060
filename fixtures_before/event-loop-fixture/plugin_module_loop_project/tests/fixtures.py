"""Fixtures every test module gets (conftest.py loads this module as a plugin)."""

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


@pytest.fixture
def payload():
    return b"x" * 3
