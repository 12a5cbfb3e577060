import asyncio

import pytest

pytestmark = [pytest.mark.asyncio, pytest.mark.usefixtures("event_loop")]


@pytest.fixture
def audit_log():
    return []


@pytest.mark.usefixtures("event_loop")
async def test_lock_serialises_writers(audit_log):
    lock = asyncio.Lock()

    async def write(entry):
        async with lock:
            audit_log.append(entry)
            await asyncio.sleep(0)

    await asyncio.gather(write("a"), write("b"))
    assert audit_log == ["a", "b"]


@pytest.mark.usefixtures("event_loop", "audit_log")
async def test_event_wakes_waiter():
    ready = asyncio.Event()
    asyncio.get_running_loop().call_soon(ready.set)
    await asyncio.wait_for(ready.wait(), 1)
    assert ready.is_set()


@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.usefixtures("audit_log", "event_loop")
async def test_loop_from_request(request):
    loop = request.getfixturevalue("event_loop")
    assert loop is asyncio.get_running_loop()
    assert request.getfixturevalue("audit_log") == []


class TestSemaphore:
    pytestmark = pytest.mark.usefixtures("event_loop")

    async def test_semaphore_limits_concurrency(self):
        gate = asyncio.Semaphore(2)
        async with gate:
            assert gate.locked() is False
