"""A benchmark harness with its own `mark` object; pytest's marks are not involved."""
import asyncio
from collections.abc import Callable

import pytest


class _Tags:
    """Collects benchmark tags: ``@mark.asyncio(scope="x")`` records, nothing else."""

    def __init__(self) -> None:
        self.recorded: dict[str, dict[str, str]] = {}

    def asyncio(self, *args: str, **kwargs: str) -> Callable:
        def decorate(func: Callable) -> Callable:
            self.recorded[func.__name__] = {**dict.fromkeys(args, ""), **kwargs}
            return func

        return decorate


mark = _Tags()


@mark.asyncio(scope="suite")
async def bench_gather():
    await asyncio.gather(*(asyncio.sleep(0) for _ in range(10)))


@mark.asyncio("module", forbid_global_loop="yes")
async def bench_queue():
    queue: asyncio.Queue[int] = asyncio.Queue()
    await queue.put(1)


@pytest.mark.asyncio
async def test_benchmarks_are_tagged():
    await bench_gather()
    assert mark.recorded["bench_gather"] == {"scope": "suite"}
    assert mark.recorded["bench_queue"] == {"module": "", "forbid_global_loop": "yes"}
