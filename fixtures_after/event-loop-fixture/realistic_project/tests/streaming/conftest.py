import asyncio
import pathlib

import pytest
import pytest_asyncio


def pytest_collection_modifyitems(items):
    # The async tests below this folder share one module loop, as with the event_loop
    # fixture this hook replaces (pytest-asyncio 1.x); an explicit loop_scope wins.
    here = pathlib.Path(__file__).parent
    for item in items:
        mark = item.get_closest_marker("asyncio")
        if (
            pytest_asyncio.is_async_test(item)
            and here in item.path.parents
            and (mark is None or "loop_scope" not in mark.kwargs)
        ):
            item.add_marker(pytest.mark.asyncio(loop_scope="module"), append=False)


@pytest_asyncio.fixture(loop_scope="module")
async def ticker():
    queue = asyncio.Queue()
    for price in (101, 102, 103):
        queue.put_nowait(price)
    return queue
