"""A suite already on the modern API: nothing to change."""
import asyncio
import inspect

import pytest
import pytest_asyncio

pytestmark = pytest.mark.asyncio(loop_scope="module")

_loops: list[asyncio.AbstractEventLoop] = []


class Mailbox:
    def __init__(self) -> None:
        self.queue: asyncio.Queue[str] = asyncio.Queue()

    async def deliver(self, message: str) -> None:
        await self.queue.put(message)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def mailbox():
    return Mailbox()


async def test_deliver(mailbox):
    _loops.append(asyncio.get_running_loop())
    await mailbox.deliver("hi")
    assert mailbox.queue.qsize() == 1


async def test_module_loop_is_shared(mailbox):
    assert asyncio.get_running_loop() is _loops[0]
    assert await mailbox.queue.get() == "hi"


@pytest.mark.asyncio(loop_scope="function")
async def test_own_loop():
    assert asyncio.get_running_loop() is not _loops[0]


@pytest.mark.asyncio(loop_scope="class")
class TestBulk:
    async def test_bulk_deliver(self):
        box = Mailbox()
        for n in range(3):
            await box.deliver(str(n))
        assert box.queue.qsize() == 3


def test_mailbox_is_plain_class():
    assert not inspect.iscoroutinefunction(Mailbox.__init__)
