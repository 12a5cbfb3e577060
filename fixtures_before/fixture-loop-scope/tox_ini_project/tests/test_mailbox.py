import asyncio

import pytest


@pytest.mark.asyncio(loop_scope="package")
async def test_delivery(mailbox):
    await mailbox.inbox.put("welcome")
    assert await mailbox.inbox.get() == "welcome"


@pytest.mark.asyncio(loop_scope="package")
async def test_same_loop_for_the_package(mailbox):
    assert mailbox.loop is asyncio.get_running_loop()
