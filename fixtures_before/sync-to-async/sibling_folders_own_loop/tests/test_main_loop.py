"""After the tests that had a loop of their own, sync code finds the suite's loop current again.

This is what the migration adds, not what the old pins did: pytest-asyncio 0.21's event_loop
closed at teardown and left a fresh loop current, so this test fails on the before-case's own
pins too. The stand-in event_loop the run writes leaves the loop current before it current."""

import asyncio

from batch import BlockingClient


def test_blocking_client_runs_on_the_main_loop(main_loop):
    client = BlockingClient()
    assert client.loop is main_loop
    assert asyncio.get_event_loop() is main_loop
    assert client.call("ping") == "PING"
