"""Order API client tests, written for pytest-asyncio 0.21 (the event_loop fixture)."""
import asyncio

import pytest

ORDERS = {17: {"id": 17, "status": "shipped", "total": 42.5}}
CLOSED_TRANSPORTS = []


class Response:
    def __init__(self, status, payload):
        self.status = status
        self._payload = payload

    def json(self):
        return dict(self._payload)


class FakeTransport:
    def __init__(self):
        self.loop = None
        self.requests = []

    async def connect(self):
        await asyncio.sleep(0)
        self.loop = asyncio.get_running_loop()

    async def get(self, path):
        await asyncio.sleep(0)
        self.requests.append(path)
        order_id = int(path.rsplit("/", 1)[1])
        if order_id in ORDERS:
            return Response(200, ORDERS[order_id])
        return Response(404, {"error": "not found"})

    async def close(self):
        await asyncio.sleep(0)
        CLOSED_TRANSPORTS.append(self)


@pytest.fixture
def transport(event_loop):
    transport = FakeTransport()
    event_loop.run_until_complete(transport.connect())
    yield transport
    event_loop.run_until_complete(transport.close())


def test_get_order(transport, event_loop):
    response = event_loop.run_until_complete(transport.get("/orders/17"))
    assert response.status == 200
    assert response.json()["status"] == "shipped"
    assert transport.loop is event_loop


def test_status_of_missing_order(transport, event_loop):
    status = event_loop.run_until_complete(transport.get("/orders/99")).status
    assert status == 404


def test_fetch_many_orders(transport, event_loop):
    responses = event_loop.run_until_complete(
        asyncio.gather(
            transport.get("/orders/17"),
            transport.get("/orders/99"),
        )
    )
    assert [r.status for r in responses] == [200, 404]
    assert transport.requests == ["/orders/17", "/orders/99"]


def test_slow_response_times_out(transport, event_loop):
    deadline = event_loop.create_future()
    event_loop.call_later(0.01, deadline.set_result, "timeout")
    outcome = event_loop.run_until_complete(deadline)
    assert outcome == "timeout"


def test_transports_were_closed():
    assert len(CLOSED_TRANSPORTS) == 4
    assert sum(len(t.requests) for t in CLOSED_TRANSPORTS) == 4
