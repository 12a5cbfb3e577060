"""Webhook dispatcher tests; half of the suite already used unittest.mock."""

from unittest import mock

import pytest
from asynctest import CoroutineMock, patch


class Dispatcher:
    def __init__(self, client):
        self.client = client

    async def dispatch(self, url, event):
        response = await self.client.post(url, json=event)
        return response.status


def sign(payload):
    raise AssertionError("signing is patched in these tests")


@pytest.mark.asyncio
async def test_dispatch_posts_the_event():
    client = mock.Mock()
    client.post = CoroutineMock(return_value=mock.Mock(status=202))

    status = await Dispatcher(client).dispatch("https://hooks.example/a", {"kind": "paid"})

    assert status == 202
    client.post.assert_awaited_once_with("https://hooks.example/a", json={"kind": "paid"})


def test_signing_is_patched():
    with patch(f"{__name__}.sign", return_value="sig") as fake_sign:
        assert sign({"kind": "paid"}) == "sig"
    fake_sign.assert_called_once()
