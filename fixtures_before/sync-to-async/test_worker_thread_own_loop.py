"""The metrics exporter runs its own event loop in a background thread."""
import asyncio
import queue
import threading


async def export(batch):
    await asyncio.sleep(0)
    return sum(batch)


class Exporter(threading.Thread):
    def __init__(self, batches):
        super().__init__(daemon=True)
        self.batches = batches
        self.results = queue.Queue()

    def run(self):
        loop = asyncio.new_event_loop()
        try:
            for batch in self.batches:
                self.results.put(loop.run_until_complete(export(batch)))
        finally:
            loop.close()


def test_exporter_thread_sums_batches():
    exporter = Exporter([[1, 2], [3, 4]])
    exporter.start()
    exporter.join(timeout=5)
    assert [exporter.results.get_nowait() for _ in range(2)] == [3, 7]


def test_worker_with_inline_thread():
    totals = []

    def worker():
        loop = asyncio.new_event_loop()
        totals.append(loop.run_until_complete(export([5, 5])))
        loop.close()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(timeout=5)
    assert totals == [10]


def test_private_loop_is_closed_afterwards():
    loop = asyncio.new_event_loop()
    try:
        assert loop.run_until_complete(export([2, 2, 2])) == 6
    finally:
        loop.close()
    assert loop.is_closed()
