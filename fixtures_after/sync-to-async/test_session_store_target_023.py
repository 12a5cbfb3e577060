# golden: target-version=0.23
import asyncio

import pytest
import pytest_asyncio

SHUTDOWNS = []


class SessionStore:
    def __init__(self):
        self.sessions = {}
        self.loop = None

    async def start(self):
        await asyncio.sleep(0)
        self.loop = asyncio.get_running_loop()

    async def create(self, user):
        await asyncio.sleep(0)
        token = f"tok-{user}-{len(self.sessions)}"
        self.sessions[token] = user
        return token

    async def shutdown(self):
        await asyncio.sleep(0)
        SHUTDOWNS.append(len(self.sessions))


@pytest_asyncio.fixture(scope="module")
async def store():
    store = SessionStore()
    await store.start()
    yield store
    await store.shutdown()


@pytest.mark.asyncio
async def test_login_creates_session(store):
    token = await store.create("ada")
    assert store.sessions[token] == "ada"


def test_store_stays_open_for_the_whole_module():
    assert SHUTDOWNS == []
