"""Scheduler for a sync API that takes a loop: event_loop here is an ordinary fixture of sync tests."""

import asyncio

import pytest


class Scheduler:
    def __init__(self, loop):
        self.loop = loop
        self.jobs = []

    def schedule(self, delay, name):
        self.jobs.append(self.loop.call_later(delay, self.jobs.remove, name))
        return len(self.jobs)


@pytest.fixture
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def test_schedule_registers_handle(event_loop):
    scheduler = Scheduler(event_loop)
    assert scheduler.schedule(10, "cleanup") == 1


def test_loop_is_not_running(event_loop):
    assert not event_loop.is_running()
