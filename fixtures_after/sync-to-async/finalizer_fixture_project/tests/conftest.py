import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio


class EchoServerProtocol(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data)


@pytest_asyncio.fixture(scope="function")
async def echo_server() -> AsyncIterator[asyncio.AbstractServer]:
    event_loop = asyncio.get_running_loop()
    server = await event_loop.create_server(
        EchoServerProtocol, host="127.0.0.1", port=0, family=socket.AF_INET
    )

    yield server
    # the server must be closed on the loop that made it
    server.close()
    await server.wait_closed()


@pytest.fixture
def late_finalizer(request: pytest.FixtureRequest, event_loop: asyncio.AbstractEventLoop):
    # registered before the work that follows it: left as it is (a teardown moved after
    # a yield would not run when that work fails)
    state = {"open": True}

    def close() -> None:
        event_loop.run_until_complete(asyncio.sleep(0))
        state["open"] = False

    request.addfinalizer(close)
    state["ready"] = True
    return state
