"""A worker thread reports back to the test's loop."""

import asyncio
import threading

import pytest as pt


class SensorReader(threading.Thread):
    def __init__(self, loop, done):
        super().__init__(daemon=True)
        self.loop = loop
        self.done = done
        self.readings = []

    def run(self):
        self.readings.extend((21.5, 21.7, 22.0))
        self.loop.call_soon_threadsafe(self.done.set_result, len(self.readings))


@pt.mark.asyncio
async def test_thread_posts_readings_to_loop():
    event_loop = asyncio.get_running_loop()
    done = event_loop.create_future()
    reader = SensorReader(event_loop, done)
    reader.start()
    assert await done == 3
    reader.join()
    assert reader.readings == [21.5, 21.7, 22.0]


@pt.mark.asyncio
async def test_worker_thread_gets_the_loop_as_argument():
    event_loop = asyncio.get_running_loop()
    done = event_loop.create_future()

    def worker(loop):
        loop.call_soon_threadsafe(done.set_result, threading.current_thread().name)

    thread = threading.Thread(target=worker, args=(event_loop,), name="calibration")
    thread.start()
    assert await done == "calibration"
    thread.join()
