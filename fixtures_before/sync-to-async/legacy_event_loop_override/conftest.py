import asyncio
import time

import pytest


@pytest.fixture
def event_loop():
    """The 0.21-era override: every test gets a fresh loop."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


class Benchmark:
    def __init__(self):
        self.timings = []

    def __call__(self, func):
        for _ in range(3):
            started = time.perf_counter()
            result = func()
            self.timings.append(time.perf_counter() - started)
        return result


@pytest.fixture
def benchmark():
    return Benchmark()
