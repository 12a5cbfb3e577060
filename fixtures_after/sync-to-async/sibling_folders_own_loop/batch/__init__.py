"""Sync facades over coroutines: each runs them on the loop it is given, or the current one."""

import asyncio


class BatchRunner:
    """Queues coroutines and runs them on its loop when asked."""

    def __init__(self, loop):
        self.loop = loop
        self.pending = []

    def submit(self, coro):
        self.pending.append(coro)

    def run(self):
        results = []
        while self.pending:
            results.append(self.loop.run_until_complete(self.pending.pop(0)))
        return results


class Report:
    """Renders sections that are fetched by coroutines, on its loop."""

    def __init__(self, loop, sections):
        self.loop = loop
        self.sections = sections

    def render(self):
        fetched = self.loop.run_until_complete(asyncio.gather(*(fetch(s) for s in self.sections)))
        return "\n".join(fetched)


class BlockingClient:
    """A client for sync code: it runs its calls on the current loop, as many libraries do."""

    def __init__(self):
        self.loop = asyncio.get_event_loop()

    def call(self, name):
        return self.loop.run_until_complete(fetch(name))


async def fetch(name):
    await asyncio.sleep(0)
    return name.upper()
