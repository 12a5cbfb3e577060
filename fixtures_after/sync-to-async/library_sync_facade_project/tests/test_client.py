"""Tests of the client: its coroutines from an async test, its sync facade from sync tests.

Under pytest-asyncio 0.21 the event_loop a sync test requests is the current loop that
send_sync() runs on, whether the test reads it or not. Made async, a test whose facade
runs that loop would fail with "This event loop is already running"; without its
event_loop, the facade finds no current loop once an async test has run.
"""
import pytest


@pytest.mark.asyncio
async def test_send(client):
    assert await client.send("hello") == 1


def test_send_sync(event_loop, client):
    assert client.send_sync("hello") == 1


def test_send_sync_when_connected(event_loop, client):
    event_loop.run_until_complete(client.connect())
    assert client.connected
    assert client.send_sync("hello") == 1
