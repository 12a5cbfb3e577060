"""Async tests against the echo server a conftest.py fixture started (pytest-asyncio 0.21 style)."""
import asyncio

import pytest


async def ask(port, text):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(text + b"\n")
    await writer.drain()
    answer = await reader.readline()
    writer.close()
    return answer


@pytest.mark.asyncio
async def test_echo_answers(echo_port):
    # the server lives on the loop its fixture ran on: a loop that is not running never answers
    assert await asyncio.wait_for(ask(echo_port, b"ping"), timeout=2) == b"ping\n"


@pytest.mark.asyncio
async def test_echo_is_serving(echo_server):
    assert echo_server.is_serving()
    assert echo_server.get_loop() is asyncio.get_running_loop()
