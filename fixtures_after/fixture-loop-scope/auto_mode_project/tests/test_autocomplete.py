import pytest_asyncio
from pytest import mark


class Trie:
    def __init__(self, words: list[str]) -> None:
        self.words = sorted(words)

    async def complete(self, prefix: str) -> list[str]:
        return [w for w in self.words if w.startswith(prefix)]


@pytest_asyncio.fixture(
    scope="session", loop_scope="session", params=[["apple", "apricot", "banana"]]
)
async def trie(request):
    return Trie(request.param)


@mark.parametrize("prefix, expected", [("ap", 2), ("b", 1), ("z", 0)])
async def test_complete(trie, prefix, expected):
    assert len(await trie.complete(prefix)) == expected
