"""A relay suite that black keeps tidy at 100 columns."""

import asyncio

import pytest


class Relay:
    def __init__(self) -> None:
        self.delivered: list[tuple[str, str]] = []

    async def send(self, channel: str, message: str) -> str:
        await asyncio.sleep(0)
        self.delivered.append((channel, message))
        return f"{channel}:{len(self.delivered)}"


@pytest.fixture
def relay() -> Relay:
    return Relay()


@pytest.mark.asyncio
async def test_a_message_is_delivered_to_its_channel_and_acknowledged(
    relay: Relay, channel_with_a_descriptive_name: str
) -> None:
    ack = await relay.send(channel_with_a_descriptive_name, "disk full")
    assert ack == "alerts:1"


@pytest.mark.asyncio
async def test_the_relay_keeps_the_order_of_messages(
    relay: Relay,
) -> None:
    for text in ("one", "two"):
        await relay.send("ops", text)
    assert [m for _, m in relay.delivered] == ["one", "two"]


@pytest.mark.asyncio
async def test_a_callback_runs_on_the_loop(relay: Relay) -> None:
    event_loop = asyncio.get_running_loop()

    def on_sent(future: asyncio.Future) -> None:
        sent.append(future.result())

    sent: list[str] = []
    task = event_loop.create_task(relay.send("ops", "ping"))
    task.add_done_callback(on_sent)
    await task
    await asyncio.sleep(0)
    assert sent == ["ops:1"]


@pytest.mark.asyncio
async def test_a_sync_caller_drives_the_relay_on_the_loop_of_a_long_named_fixture(relay: Relay):
    ack = await relay.send("sync", "hello")
    assert ack == "sync:1"
