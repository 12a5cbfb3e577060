"""Presence: a sync report that runs a loop of its own, and a sync timer handed the loop."""
import asyncio


async def online(users):
    await asyncio.sleep(0)
    return sorted(users)


def presence_report(users):
    """The nightly job's entry point: a loop of its own."""
    return ", ".join(asyncio.run(online(users)))


class IdleTimer:
    """A sync API that schedules its callbacks on the loop it is handed."""

    def __init__(self, loop):
        self.loop = loop
        self.fired = []

    def fire_soon(self, user):
        self.loop.call_soon(self.fired.append, user)
        self.loop.run_until_complete(asyncio.sleep(0))


def test_presence_report(event_loop):
    assert presence_report(["eve", "ada"]) == "ada, eve"


def test_idle_timer_fires_on_its_loop(event_loop):
    timer = IdleTimer(event_loop)
    timer.fire_soon("ada")
    assert timer.fired == ["ada"]
