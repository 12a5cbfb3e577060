import httpx
import pytest


async def greeting_app(scope, receive, send):
    headers = dict(scope["headers"])
    language = headers.get(b"accept-language", b"en").decode()
    body = {"en": b"Hello", "fr": b"Bonjour"}.get(language, b"Hello")
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": body})


def make_client(**headers):
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=greeting_app),
        base_url="http://greeter.test",
        headers=headers,
    )


@pytest.mark.asyncio
async def test_default_language_is_english():
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=greeting_app), base_url="http://greeter.test"
    ) as client:
        response = await client.get("/")
    assert response.status_code == 200
    assert response.text == "Hello"


@pytest.mark.asyncio
async def test_accept_language_header_is_honoured():
    async with make_client(**{"Accept-Language": "fr"}) as client:
        response = await client.get("/")
    assert response.text == "Bonjour"
