"""A client that opens its socket itself; the tests patch ``socket.socket`` around it.

Under pytest-asyncio 0.21 the test's ``event_loop`` was made before every other fixture, so
the loop had its self-pipe before ``socket_socket`` patched the class. 1.x makes the loop
after the test's sync fixtures: kept sync, ``socket_socket`` leaves no loop to be made.
"""

import asyncio
import socket
from unittest import mock
from unittest.mock import patch

import pytest
import pytest_asyncio


class Client:
    def __init__(self):
        self.sock = None

    async def connect(self, host, port):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        await asyncio.sleep(0)
        self.sock.connect((host, port))
        return self.sock


@pytest.fixture
def client():
    return Client()


@pytest_asyncio.fixture
async def socket_socket():
    with patch("socket.socket") as func:
        yield func


@pytest_asyncio.fixture(name="socketpair")
async def patched_socketpair():
    patcher = mock.patch.object(socket, "socketpair")
    started = patcher.start()
    yield started
    patcher.stop()


@pytest.fixture
def wrapped_socket():
    # a wrapper, not a mock: loops can still be made, and it stays sync
    with patch("socket.socket", wraps=socket.socket) as func:
        yield func


@pytest.fixture
def socket_for_sync_tests():
    # no asyncio test asks for it: it stays sync
    with patch("socket.socket") as func:
        yield func


@pytest.fixture
def patched_only_during_setup():
    # the patch ends before the test runs
    with patch("socket.socket"):
        made = socket.socket()
    return made


@pytest.mark.asyncio
async def test_connect(client, socket_socket):
    sock = await client.connect("10.0.0.1", 6052)
    assert sock is socket_socket.return_value
    sock.connect.assert_called_once_with(("10.0.0.1", 6052))


@pytest.mark.asyncio
async def test_socketpair_patched(socketpair):
    assert socket.socketpair is socketpair
    await asyncio.sleep(0)


@pytest.mark.asyncio
async def test_wrapped(wrapped_socket, patched_only_during_setup):
    await asyncio.sleep(0)
    assert socket.socket is wrapped_socket
    assert patched_only_during_setup is not None


def test_sync_client(socket_for_sync_tests):
    assert socket.socket() is socket_for_sync_tests.return_value
