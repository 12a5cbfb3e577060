import asyncio

import pytest


class ChatClient:
    def __init__(self, loop=None):
        self.loop = loop
        self.history = []

    async def send(self, text):
        await asyncio.sleep(0)
        self.history.append(text)
        return len(text)


def send_all(loop, client, messages):
    return [loop.run_until_complete(client.send(m)) for m in messages]


@pytest.fixture
def room(event_loop):
    client = ChatClient()
    event_loop.run_until_complete(client.send("joined"))
    yield client
    event_loop.close()


@pytest.mark.asyncio
async def test_history_records_messages():
    client = ChatClient()
    await client.send("hello")
    assert client.history == ["hello"]


def test_client_bound_to_fixture_loop(event_loop):
    client = ChatClient(loop=event_loop)
    event_loop.run_until_complete(client.send("hi"))
    assert client.loop is event_loop


def test_send_is_fast(benchmark, event_loop):
    client = ChatClient()
    size = benchmark(lambda: event_loop.run_until_complete(client.send("ping")))
    assert size == 4


def test_total_size(event_loop):
    client = ChatClient()
    total = sum(event_loop.run_until_complete(client.send(m)) for m in ["a", "bb"])
    assert total == 3


def test_idle_loop_runs_scheduled_callbacks(event_loop):
    ticks = []
    event_loop.call_soon(ticks.append, "tick")
    event_loop.call_later(0.01, event_loop.stop)
    event_loop.run_forever()
    assert ticks == ["tick"]


def test_broadcast(event_loop):
    client = ChatClient()
    assert send_all(event_loop, client, ["x", "yz"]) == [1, 2]


def test_room_greets_newcomers(room):
    assert room.history == ["joined"]
