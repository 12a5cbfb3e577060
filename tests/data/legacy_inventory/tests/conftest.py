import pytest
from inventory import Store


@pytest.fixture(scope="module")
async def store():
    store = Store()
    await store.connect()
    yield store
    await store.close()


@pytest.fixture
async def widgets(store):
    await store.add("widget", 5)
    yield "widget"
    level = store.level("widget")
    if level:
        await store.take("widget", level)
