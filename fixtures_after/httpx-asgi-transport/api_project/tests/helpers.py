"""Clients for the legacy WSGI admin site, shared by the test modules."""

import httpx


def admin_app(environ, start_response):
    if environ.get("HTTP_AUTHORIZATION") == "Bearer admin-token":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"admin dashboard"]
    start_response("401 Unauthorized", [("Content-Type", "text/plain")])
    return [b"login required"]


def admin_client(token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(
        transport=httpx.WSGITransport(app=admin_app),
        base_url="http://admin.test",
        headers=headers,
    )
