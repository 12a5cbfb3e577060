import anyio
import pytest

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend():
    return "asyncio"


class Mailbox:
    def __init__(self) -> None:
        self.send, self.receive = anyio.create_memory_object_stream[str](10)


async def test_message_round_trip():
    box = Mailbox()
    await box.send.send("hello")
    assert await box.receive.receive() == "hello"


async def test_closed_mailbox_raises():
    box = Mailbox()
    await box.send.aclose()
    with pytest.raises(anyio.EndOfStream):
        await box.receive.receive()
