import asyncio

import pytest as pt


class Mailbox:
    def __init__(self) -> None:
        self.queue: asyncio.Queue[str] = asyncio.Queue()

    async def deliver(self, message: str) -> None:
        await self.queue.put(message)


@pt.fixture
async def mailbox():
    box = Mailbox()
    await box.deliver("welcome")
    return box


@pt.fixture(scope="function")
async def drained(mailbox):
    messages = []
    while not mailbox.queue.empty():
        messages.append(await mailbox.queue.get())
    yield messages


@pt.mark.asyncio
async def test_new_mailbox_has_a_welcome_message(mailbox):
    assert await mailbox.queue.get() == "welcome"


@pt.mark.asyncio
async def test_draining_empties_the_queue(mailbox, drained):
    assert drained == ["welcome"]
    assert mailbox.queue.empty()
