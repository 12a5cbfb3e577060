import asyncio


async def test_shorten_then_follow(client):
    response = await asyncio.wait_for(client.post("/", json={"url": "https://example.org/"}), timeout=2)
    key = (await response.json())["key"]
    response = await asyncio.wait_for(client.get(f"/{key}", allow_redirects=False), timeout=2)
    assert response.status == 302
    assert response.headers["Location"] == "https://example.org/"


async def test_client_runs_on_the_test_loop(client):
    assert client.server.runner.server is not None
    # the server answers on the loop the test awaits on
    response = await asyncio.wait_for(client.get("/missing"), timeout=2)
    assert response.status in (404, 500)


def test_two_free_ports(unused_tcp_port_factory):
    assert unused_tcp_port_factory() != 0
