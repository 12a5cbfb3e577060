import asyncio

import pytest
import uvloop
from chat import ChatServer


@pytest.fixture(scope="session")
def event_loop():
    loop = uvloop.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="session")
async def server():
    server = ChatServer()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def lobby(server, event_loop):
    room = event_loop.run_until_complete(server.open_room("lobby"))
    yield room
    event_loop.run_until_complete(server.close_room("lobby"))
