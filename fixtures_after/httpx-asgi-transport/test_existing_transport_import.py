import pytest
import pytest_asyncio
from httpx import ASGITransport, AsyncClient
from httpx import AsyncClient as HttpClient


async def search_app(scope, receive, send):
    query = scope["query_string"].decode()
    hits = b"3" if query == "q=espresso" else b"0"
    await send({"type": "http.response.start", "status": 200, "headers": [(b"x-hits", hits)]})
    await send({"type": "http.response.body", "body": hits})


@pytest_asyncio.fixture
async def search():
    # migrated last sprint
    async with AsyncClient(transport=ASGITransport(app=search_app), base_url="http://search.test") as client:
        yield client


@pytest_asyncio.fixture
async def admin_search():
    async with HttpClient(
        transport=ASGITransport(app=search_app),
        base_url="http://search.test",
        headers={"X-Role": "admin"},
    ) as client:
        yield client


@pytest.mark.asyncio
async def test_query_with_hits(search):
    response = await search.get("/search", params={"q": "espresso"})
    assert response.headers["x-hits"] == "3"


@pytest.mark.asyncio
async def test_admin_query_without_hits(admin_search):
    response = await admin_search.get("/search", params={"q": "decaf"})
    assert response.status_code == 200
    assert response.text == "0"
