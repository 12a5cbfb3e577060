import httpx
import pytest
import pytest_asyncio
from httpx import ASGITransport, AsyncClient


async def weather_app(scope, receive, send):
    city = scope["path"].rsplit("/", 1)[-1]
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": f"{city}: 18C".encode()})


def forecast_app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"rain tomorrow"]


@pytest_asyncio.fixture
async def weather():
    async with AsyncClient(transport=ASGITransport(app=weather_app), base_url="http://weather.test") as client:
        yield client


@pytest.mark.asyncio
async def test_current_temperature(weather):
    response = await weather.get("/now/Lisbon")
    assert response.text == "Lisbon: 18C"


def test_forecast_over_wsgi():
    with httpx.Client(transport=httpx.WSGITransport(app=forecast_app), base_url="http://weather.test") as client:
        response = client.get("/forecast")
    assert response.status_code == 200
    assert response.text == "rain tomorrow"
