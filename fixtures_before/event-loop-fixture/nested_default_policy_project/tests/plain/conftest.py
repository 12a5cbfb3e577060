import asyncio

import pytest


@pytest.fixture(scope="session")
def event_loop_policy():
    """These tests patch the selector: they need asyncio's own loop."""
    return asyncio.DefaultEventLoopPolicy()
