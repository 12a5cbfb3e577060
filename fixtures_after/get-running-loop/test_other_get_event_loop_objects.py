"""Only asyncio's get_event_loop is rewritten; same-named methods and functions are not."""

import asyncio

import pytest

_LOOPS = {}


def get_event_loop(name="default"):
    """The application's own registry of named loops."""
    return _LOOPS.setdefault(name, {"name": name, "jobs": []})


class Scheduler:
    def __init__(self):
        self.loop = asyncio.get_running_loop()

    def get_event_loop(self):
        return self.loop


class App:
    def __init__(self, scheduler):
        self.scheduler = scheduler

    def get_event_loop(self):
        return self.scheduler.get_event_loop()


@pytest.mark.asyncio
async def test_app_exposes_the_scheduler_loop():
    app = App(Scheduler())
    assert app.get_event_loop() is asyncio.get_running_loop()


@pytest.mark.asyncio
async def test_registry_loops_are_plain_records():
    reports = get_event_loop("reports")
    reports["jobs"].append("nightly")
    await asyncio.sleep(0)
    assert get_event_loop("reports")["jobs"] == ["nightly"]
