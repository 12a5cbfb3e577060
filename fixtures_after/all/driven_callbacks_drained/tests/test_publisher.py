import asyncio

import pytest
import pytest_asyncio


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


@pytest_asyncio.fixture
async def published():
    received = []
    publisher = Publisher()
    publisher.listeners.append(received.append)
    await publish_states(publisher, ["playing", "paused"])
    yield received


@pytest.mark.asyncio
@pytest.mark.parametrize("repeats", [1, 3])
async def test_a_state_is_published_once(repeats):
    received = []
    publisher = Publisher()
    publisher.listeners.append(received.append)

    async def publish_all():
        for _ in range(repeats):
            publisher.publish("playing")

    await publish_all()
    await asyncio.sleep(0)  # let its callbacks run, as run_until_complete() did

    assert received == ["playing"]


@pytest.mark.asyncio
async def test_each_change_is_published():
    received = []
    publisher = Publisher()
    publisher.listeners.append(received.append)
    count = await publish_states(publisher, ["playing", "paused", "paused"])
    await asyncio.sleep(0)  # let its callbacks run, as run_until_complete() did
    assert count is None
    assert received == ["playing", "paused"]


@pytest.mark.asyncio
async def test_a_coroutine_that_waits_runs_them_itself():
    received = []
    publisher = Publisher()
    publisher.listeners.append(received.append)
    await publish_and_settle(publisher, "stopped")
    assert received == ["stopped"]


@pytest.mark.asyncio
async def test_publishing_to_nobody():
    publisher = Publisher()
    await publish_states(publisher, ["playing"])


@pytest.mark.asyncio
async def test_the_fixture_published_before_the_test(published):
    assert published == ["playing", "paused"]
