import asyncio

import pytest
import pytest_asyncio


class TokenStore:
    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.issued: set[str] = set()
        self.revoked = asyncio.Event()

    async def issue(self, user: str) -> str:
        token = f"{user}-{len(self.issued) + 1}"
        self.issued.add(token)
        return token


@pytest_asyncio.fixture(scope="session")
async def store():
    return TokenStore()


@pytest_asyncio.fixture(scope="module")
async def alice_token(store):
    return await store.issue("alice")


@pytest_asyncio.fixture(scope="class")
async def bob_token(store):
    return await store.issue("bob")


@pytest_asyncio.fixture
async def fresh_user():
    return "carol"


@pytest.mark.asyncio
async def test_tokens_share_the_session_loop(store, alice_token, bob_token):
    assert store.loop is asyncio.get_running_loop()
    assert {alice_token, bob_token} <= store.issued


@pytest.mark.asyncio
async def test_revocation_event_is_usable(store, fresh_user):
    store.revoked.set()
    await asyncio.wait_for(store.revoked.wait(), timeout=1)
    assert await store.issue(fresh_user) not in {"alice-1"}
