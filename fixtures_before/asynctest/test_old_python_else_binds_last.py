"""The old-Python else binds mock last: its uses stand for whichever the Python running
imports, and are not rewritten to unittest.mock (the new-Python branch already is that)."""
import sys

import asynctest

if sys.version_info >= (3, 8):
    from unittest import mock
else:
    from asynctest import mock


class Service:
    async def fetch(self):
        return 1


class TestPatched(asynctest.TestCase):
    async def test_patches_a_coroutine(self):
        with mock.patch.object(Service, "fetch", return_value=2) as patched:
            self.assertEqual(await Service().fetch(), 2)
        patched.assert_awaited_once()
