import asyncio

import pytest_asyncio


class Mailbox:
    def __init__(self) -> None:
        self.inbox: asyncio.Queue[str] = asyncio.Queue()
        self.loop = asyncio.get_running_loop()


@pytest_asyncio.fixture(scope="package")
async def mailbox():
    mailbox = Mailbox()
    yield mailbox
    while not mailbox.inbox.empty():
        mailbox.inbox.get_nowait()
