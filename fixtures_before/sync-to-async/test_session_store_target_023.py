# golden: target-version=0.23
import asyncio

import pytest

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


@pytest.fixture(scope="module")
def store():
    store = SessionStore()
    asyncio.get_event_loop().run_until_complete(store.start())
    yield store
    asyncio.get_event_loop().run_until_complete(store.shutdown())


def test_login_creates_session(store):
    token = asyncio.get_event_loop().run_until_complete(store.create("ada"))
    assert store.sessions[token] == "ada"


def test_store_stays_open_for_the_whole_module():
    assert SHUTDOWNS == []
