import httpx
import mylib
import pytest
from mylib import AsyncClient


async def rpc_app(method, params):
    if method == "add":
        return params["a"] + params["b"]
    raise LookupError(method)


@pytest.mark.asyncio
async def test_rpc_call_through_the_in_process_app():
    async with AsyncClient(app=rpc_app) as rpc:
        assert await rpc.call("add", a=2, b=3) == 5


@pytest.mark.asyncio
async def test_rpc_unknown_method():
    rpc = mylib.AsyncClient(app=rpc_app, base_url="rpc://gateway")
    with pytest.raises(LookupError):
        await rpc.call("divide", a=1, b=0)


@pytest.mark.asyncio
async def test_http_gateway_is_mocked():
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"sum": 5}))
    async with httpx.AsyncClient(transport=transport) as client:
        response = await client.get("http://gateway.test/add?a=2&b=3")
    assert response.json() == {"sum": 5}
