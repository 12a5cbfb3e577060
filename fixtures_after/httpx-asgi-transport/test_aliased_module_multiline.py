import httpx as hx
import pytest
import pytest_asyncio

ACCOUNTS = {"acct-1": 2500, "acct-2": 0}


async def ledger_app(scope, receive, send):
    account = scope["path"].strip("/").split("/")[-1]
    balance = ACCOUNTS.get(account)
    status = 200 if balance is not None else 404
    body = str(balance).encode() if balance is not None else b"no such account"
    await send({"type": "http.response.start", "status": status, "headers": []})
    await send({"type": "http.response.body", "body": body})


@pytest_asyncio.fixture
async def ledger():
    client = hx.AsyncClient(
        base_url="http://ledger.test",
        transport=hx.ASGITransport(app=ledger_app),  # served in-process, no network
        timeout=2.0,
    )
    async with client:
        yield client


@pytest.mark.asyncio
async def test_balance_in_cents(ledger):
    response = await ledger.get("/balances/acct-1")
    assert response.status_code == 200
    assert int(response.text) == 2500


@pytest.mark.asyncio
async def test_closed_account_is_missing(ledger):
    response = await ledger.get("/balances/acct-9")
    assert response.status_code == 404
    assert response.text == "no such account"
