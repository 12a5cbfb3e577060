"""async-fixture: PLACEHOLDER, being written. @pytest.fixture on async def → @pytest_asyncio.fixture (strict mode)"""

from __future__ import annotations

from .base import Transform


class AsyncFixture(Transform):
    name = "async-fixture"
    summary = "@pytest.fixture on async def → @pytest_asyncio.fixture (strict mode)"
    triggers = (b"\x00placeholder",)
