"""The marks stay: this module is also shipped to plugin users who run strict mode."""

import asyncio

import pytest


class Outbox:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, message: str) -> None:
        await asyncio.sleep(0)
        self.sent.append(message)


@pytest.fixture
async def outbox():
    return Outbox()


@pytest.mark.asyncio
async def test_send_records_the_message(outbox):
    await outbox.send("welcome")
    assert outbox.sent == ["welcome"]


async def test_unmarked_test_runs_in_auto_mode(outbox):
    await asyncio.gather(outbox.send("a"), outbox.send("b"))
    assert sorted(outbox.sent) == ["a", "b"]
