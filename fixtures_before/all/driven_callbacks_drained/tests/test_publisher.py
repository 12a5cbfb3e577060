import asyncio

import pytest


class Publisher:
    """Tells its listeners of each new state on the loop's next turn."""

    def __init__(self):
        self.listeners = []
        self._last = None

    def publish(self, state):
        if state != self._last:
            loop = asyncio.get_running_loop()
            for listener in self.listeners:
                loop.call_soon(listener, state)
        self._last = state


async def publish_states(publisher, states):
    for state in states:
        publisher.publish(state)


async def publish_and_settle(publisher, state):
    publisher.publish(state)
    await asyncio.sleep(0)


@pytest.fixture
def published(event_loop):
    received = []
    publisher = Publisher()
    publisher.listeners.append(received.append)
    event_loop.run_until_complete(publish_states(publisher, ["playing", "paused"]))
    yield received


@pytest.mark.parametrize("repeats", [1, 3])
def test_a_state_is_published_once(event_loop, repeats):
    received = []
    publisher = Publisher()
    publisher.listeners.append(received.append)

    async def publish_all():
        for _ in range(repeats):
            publisher.publish("playing")

    event_loop.run_until_complete(publish_all())

    assert received == ["playing"]


def test_each_change_is_published(event_loop):
    received = []
    publisher = Publisher()
    publisher.listeners.append(received.append)
    count = event_loop.run_until_complete(publish_states(publisher, ["playing", "paused", "paused"]))
    assert count is None
    assert received == ["playing", "paused"]


def test_a_coroutine_that_waits_runs_them_itself(event_loop):
    received = []
    publisher = Publisher()
    publisher.listeners.append(received.append)
    event_loop.run_until_complete(publish_and_settle(publisher, "stopped"))
    assert received == ["stopped"]


def test_publishing_to_nobody(event_loop):
    publisher = Publisher()
    event_loop.run_until_complete(publish_states(publisher, ["playing"]))


@pytest.mark.asyncio
async def test_the_fixture_published_before_the_test(published):
    assert published == ["playing", "paused"]
