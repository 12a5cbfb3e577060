import asyncio
import socket

import pytest


class EchoServerProtocol(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data)


@pytest.fixture(scope="function")
def echo_server(
    request: pytest.FixtureRequest,
    event_loop: asyncio.AbstractEventLoop,
) -> asyncio.AbstractServer:
    server = event_loop.run_until_complete(
        event_loop.create_server(
            EchoServerProtocol, host="127.0.0.1", port=0, family=socket.AF_INET
        )
    )

    def close_server() -> None:
        # the server must be closed on the loop that made it
        server.close()
        event_loop.run_until_complete(server.wait_closed())

    request.addfinalizer(close_server)

    return server


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
