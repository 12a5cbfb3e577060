"""Helpers shared by the test modules."""

import asyncio


class FakeBroker:
    """An in-memory message broker: what a test publishes, the next receive returns."""

    def __init__(self):
        self.queues = {}
        self.running = False

    def start(self):
        self.running = True

    def stop(self):
        self.running = False
        self.queues.clear()

    async def publish(self, topic, message):
        await asyncio.sleep(0)
        self.queues.setdefault(topic, []).append(message)

    async def receive(self, topic):
        await asyncio.sleep(0)
        return self.queues[topic].pop(0)


def get_event_loop():
    """The current loop, or a new one set as current (Python 3.12 no longer makes one)."""
    try:
        return asyncio.get_event_loop()
    except RuntimeError:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        return loop
