"""Run every asyncio test in one session-wide loop (the pytest-asyncio 0.23 recipe)."""
import pytest
from pytest_asyncio import is_async_test


def pytest_collection_modifyitems(items):
    session_loop = pytest.mark.asyncio(scope="session")
    for item in items:
        if is_async_test(item):
            item.add_marker(session_loop, append=False)
