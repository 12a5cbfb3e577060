"""Feed poller tests, importing asynctest under a short alias."""

import sys
import unittest
from unittest import mock


class FeedPoller:
    def __init__(self, fetch):
        self.fetch = fetch
        self.seen = set()

    async def poll(self):
        items = await self.fetch()
        fresh = [item for item in items if item not in self.seen]
        self.seen.update(fresh)
        return fresh


async def fetch_feed():
    raise AssertionError("the network is never used in tests")


@unittest.skipIf(sys.platform == "emscripten", "no sockets in the browser")
class TestFeedPoller(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.fetch = mock.AsyncMock(return_value=["a", "b"])
        self.poller = FeedPoller(self.fetch)

    async def test_first_poll_returns_everything(self):
        self.assertEqual(await self.poller.poll(), ["a", "b"])

    async def test_second_poll_returns_only_fresh_items(self):
        await self.poller.poll()
        self.fetch.return_value = ["b", "c"]
        self.assertEqual(await self.poller.poll(), ["c"])

    @mock.patch(f"{__name__}.fetch_feed", return_value=["z"])
    async def test_patched_module_fetch(self, fake_fetch):
        poller = FeedPoller(fetch_feed)
        self.assertEqual(await poller.poll(), ["z"])
        fake_fetch.assert_awaited_once_with()
