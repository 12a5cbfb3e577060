"""A worker test written before anyone noticed time.sleep blocks the loop."""

import pytest


class Worker:
    def __init__(self) -> None:
        self.queue: list[int] = []
        self.done: list[int] = []

    async def run(self) -> None:
        import asyncio

        while True:
            if self.queue:
                self.done.append(self.queue.pop(0))
            await asyncio.sleep(0.001)


@pytest.mark.asyncio
async def test_worker_drains_queue():
    import asyncio

    worker = Worker()
    task = asyncio.create_task(worker.run())
    worker.queue.extend([1, 2, 3])
    await asyncio.sleep(0.05)
    for _ in range(100):
        if len(worker.done) == 3:
            break
        await asyncio.sleep(0.01)
    task.cancel()
    assert worker.done == [1, 2, 3]
