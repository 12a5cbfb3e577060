import pytest
from asynctest_helpers import CoroutineMock, FakeSmtpClient


async def notify(client, address, text):
    reply = await client.send(address, text)
    return reply["accepted"]


@pytest.mark.asyncio
async def test_notify_sends_one_mail():
    client = FakeSmtpClient()

    assert await notify(client, "ops@example.org", "disk full")
    client.send.assert_awaited_once_with("ops@example.org", "disk full")


@pytest.mark.asyncio
async def test_helper_keeps_its_historical_name():
    lookup = CoroutineMock("10.0.0.7")
    assert await lookup("db.internal") == "10.0.0.7"
