import asyncio

import pytest
import pytest_asyncio


class SearchIndex:
    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.documents: dict[int, str] = {}
        self.indexed = asyncio.Condition()

    async def add(self, doc_id: int, text: str) -> None:
        async with self.indexed:
            self.documents[doc_id] = text.lower()
            self.indexed.notify_all()

    async def search(self, word: str) -> list[int]:
        return sorted(i for i, text in self.documents.items() if word.lower() in text.split())


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def index():
    index = SearchIndex()
    await index.add(1, "Async tests share loops")
    await index.add(2, "Loops and fixtures")
    yield index


@pytest.fixture(scope="module")
def stop_words():
    return {"and", "the"}


@pytest.fixture
async def scratch_index():
    return SearchIndex()


@pytest.mark.asyncio(loop_scope="module")
async def test_search_finds_both_documents(index):
    assert await index.search("loops") == [1, 2]


@pytest.mark.asyncio(loop_scope="module")
async def test_condition_belongs_to_the_module_loop(index, stop_words):
    assert index.loop is asyncio.get_running_loop()
    await index.add(3, "the end")
    assert await index.search("end") == [3]
    assert "and" in stop_words


async def test_scratch_index_is_empty(scratch_index, clock):
    assert await scratch_index.search("anything") == []
    assert clock.elapsed() >= 0
