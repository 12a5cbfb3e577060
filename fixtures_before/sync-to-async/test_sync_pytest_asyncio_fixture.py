"""Already migrated with the sync pytest_asyncio.fixture workaround (pytest-asyncio >= 1.4)."""
import asyncio

import pytest
import pytest_asyncio


class Mailbox:
    def __init__(self):
        self.messages = asyncio.Queue()

    async def deliver(self, text):
        await self.messages.put(text)


@pytest_asyncio.fixture
def mailbox():
    mailbox = Mailbox()
    asyncio.get_event_loop().run_until_complete(mailbox.deliver("welcome"))
    return mailbox


@pytest.mark.asyncio
async def test_welcome_message_is_waiting(mailbox):
    assert await mailbox.messages.get() == "welcome"
