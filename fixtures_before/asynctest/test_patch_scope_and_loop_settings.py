"""Heartbeat tests: asynctest patch scopes and loop settings."""

import asynctest


class Session:
    def __init__(self):
        self.open = True

    def close(self):
        self.open = False


class Heartbeat:
    def __init__(self, session):
        self.session = session

    async def beat(self):
        return await send_ping(self.session)


async def send_ping(session):
    raise AssertionError("no real pings in tests")


class TestHeartbeat(asynctest.TestCase):
    forbid_get_event_loop = True

    def setUp(self):
        self.session = Session()
        self.addCleanup(self.session.close)

    @asynctest.patch(f"{__name__}.send_ping", return_value="pong", scope=asynctest.GLOBAL)
    async def test_beat_pings(self, ping):
        self.assertEqual(await Heartbeat(self.session).beat(), "pong")
        ping.assert_awaited_once_with(self.session)

    async def test_session_is_open_during_the_test(self):
        with asynctest.patch(
            f"{__name__}.send_ping",
            return_value="pong",
            scope=asynctest.GLOBAL,
        ):
            self.assertEqual(await Heartbeat(self.session).beat(), "pong")
        self.assertTrue(self.session.open)
