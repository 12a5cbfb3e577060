import asyncio

import pytest


class Outbox:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, recipient: str) -> None:
        await asyncio.sleep(0)
        self.sent.append(recipient)


@pytest.fixture
async def outbox():
    return Outbox()


async def test_send_records_recipient(outbox):
    await outbox.send("ops@example.com")
    assert outbox.sent == ["ops@example.com"]


class TestBroadcast:
    async def test_broadcast_reaches_everyone(self, outbox):
        await asyncio.gather(*(outbox.send(r) for r in ("a", "b", "c")))
        assert sorted(outbox.sent) == ["a", "b", "c"]
