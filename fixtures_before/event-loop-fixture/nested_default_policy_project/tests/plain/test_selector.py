import asyncio

import pytest


@pytest.mark.asyncio
async def test_selector_loop():
    assert isinstance(asyncio.get_running_loop(), asyncio.SelectorEventLoop)
