import functools

import httpx
import pytest


class TestClient:
    """A small stand-in for starlette's TestClient(app)."""

    __test__ = False

    def __init__(self, app, base_url="http://testserver"):
        self.client = httpx.Client(transport=httpx.WSGITransport(app=app), base_url=base_url)

    def get(self, path):
        return self.client.get(path)


def hello_app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello from " + environ["PATH_INFO"].encode()]


def settings_for(app, debug=False):
    return {"app": app, "debug": debug}


def test_settings_carry_the_app_name():
    settings = settings_for(app="billing", debug=True)
    assert settings == dict(app="billing", debug=True)


def test_wrapped_client_serves_the_app():
    client = TestClient(hello_app)
    response = client.get("/ping")
    assert response.status_code == 200
    assert response.text == "hello from /ping"


def test_partial_with_app_keyword():
    make_settings = functools.partial(settings_for, app="payments")
    assert make_settings()["app"] == "payments"


def test_request_objects_do_not_need_an_app():
    request = httpx.Request("GET", "http://testserver/ping", headers={"X-App": "billing"})
    assert request.headers["x-app"] == "billing"
