import pytest

httpx = pytest.importorskip("httpx")


def catalog_app(environ, start_response):
    category = environ["QUERY_STRING"].partition("=")[2] or "all"
    start_response("200 OK", [("Content-Type", "text/plain"), ("X-Category", category)])
    return [b"teapot,kettle" if category == "kitchen" else b"teapot,kettle,lamp"]


def test_catalog_lists_everything_by_default():
    with httpx.Client(
        transport=httpx.WSGITransport(app=catalog_app), base_url="http://catalog.test"
    ) as client:
        response = client.get("/items")
    assert response.status_code == 200
    assert response.text.split(",") == ["teapot", "kettle", "lamp"]


def test_catalog_filters_by_category():
    with httpx.Client(
        transport=httpx.WSGITransport(app=catalog_app), base_url="http://catalog.test"
    ) as client:
        response = client.get("/items", params={"category": "kitchen"})
    assert response.headers["x-category"] == "kitchen"
    assert response.text == "teapot,kettle"
