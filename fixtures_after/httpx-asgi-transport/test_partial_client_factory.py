from functools import partial

import pytest
from httpx import ASGITransport, AsyncClient

TENANTS = {"acme": "Acme Corp", "globex": "Globex"}


async def tenant_app(scope, receive, send):
    tenant = dict(scope["headers"]).get(b"x-tenant", b"").decode()
    name = TENANTS.get(tenant)
    await send({"type": "http.response.start", "status": 200 if name else 403, "headers": []})
    await send({"type": "http.response.body", "body": (name or "forbidden").encode()})


tenant_client = partial(
    AsyncClient, transport=ASGITransport(app=tenant_app), base_url="http://tenants.test"
)


@pytest.mark.asyncio
async def test_each_tenant_sees_its_name():
    for tenant, name in TENANTS.items():
        async with tenant_client(headers={"X-Tenant": tenant}) as client:
            response = await client.get("/whoami")
        assert response.status_code == 200
        assert response.text == name


@pytest.mark.asyncio
async def test_unknown_tenant_is_forbidden():
    async with tenant_client(headers={"X-Tenant": "initech"}) as client:
        response = await client.get("/whoami")
    assert response.status_code == 403
