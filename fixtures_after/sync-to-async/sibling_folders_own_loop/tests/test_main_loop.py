"""After the tests that had a loop of their own, sync code finds the suite's loop current again."""

import asyncio

from batch import BlockingClient


def test_blocking_client_runs_on_the_main_loop(main_loop):
    client = BlockingClient()
    assert client.loop is main_loop
    assert asyncio.get_event_loop() is main_loop
    assert client.call("ping") == "PING"
