import asyncio

import pytest
import pytest_asyncio


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def mailbox():
    return asyncio.Queue()


@pytest.mark.asyncio
async def test_mailbox_starts_empty(mailbox):
    assert mailbox.empty()
