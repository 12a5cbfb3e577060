"""Throughput checks: the measured callable must stay sync (pytest-benchmark style)."""
import asyncio
import time

import pytest


async def handle_request(payload):
    await asyncio.sleep(0)
    return {"echo": payload, "size": len(payload)}


class Benchmark:
    """A tiny stand-in for pytest-benchmark's fixture: calls a sync callable a few times."""

    def __init__(self, rounds=3):
        self.rounds = rounds
        self.timings = []

    def __call__(self, func, *args):
        result = None
        for _ in range(self.rounds):
            started = time.perf_counter()
            result = func(*args)
            self.timings.append(time.perf_counter() - started)
        return result


@pytest.fixture
def benchmark():
    return Benchmark()


@pytest.fixture
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def test_handler_throughput(benchmark, loop):
    result = benchmark(lambda: loop.run_until_complete(handle_request("ping")))
    assert result == {"echo": "ping", "size": 4}
    assert len(benchmark.timings) == 3


def test_handler_cold_start(benchmark):
    result = benchmark(lambda: asyncio.run(handle_request("cold")))
    assert result["size"] == 4
