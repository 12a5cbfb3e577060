"""Session tests where someone added loop_scope= next to the old scope=."""
import asyncio

import pytest

_loops: list[asyncio.AbstractEventLoop] = []


class SessionStore:
    def __init__(self) -> None:
        self.sessions: dict[str, int] = {}

    async def open(self, user: str) -> str:
        await asyncio.sleep(0)
        token = f"{user}-{len(self.sessions)}"
        self.sessions[token] = 0
        return token


@pytest.mark.asyncio(scope="module", loop_scope="module")
async def test_open_returns_token():
    _loops.append(asyncio.get_running_loop())
    assert (await SessionStore().open("ada")).startswith("ada-")


@pytest.mark.asyncio(loop_scope="module", scope="module")
async def test_tokens_are_unique():
    _loops.append(asyncio.get_running_loop())
    store = SessionStore()
    assert await store.open("ada") != await store.open("ada")
    assert _loops[0] is _loops[1]


# A helper that was decorated by copy-paste; pytest never collects it, but the
# conflicting scopes would fail any test that copied the mark.
@pytest.mark.asyncio(scope="session", loop_scope="module")
async def open_many(store: SessionStore, count: int) -> list[str]:
    return [await store.open(f"user{i}") for i in range(count)]
