import asyncio

import pytest_asyncio


@pytest_asyncio.fixture(scope="module")
async def mailbox():
    return asyncio.Queue()


async def test_mailbox_starts_empty(mailbox):
    assert mailbox.empty()
