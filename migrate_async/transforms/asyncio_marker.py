"""asyncio-marker: PLACEHOLDER, being written. add @pytest.mark.asyncio to async tests that lack it (strict mode)"""

from __future__ import annotations

from .base import Transform


class AsyncioMarker(Transform):
    name = "asyncio-marker"
    summary = "add @pytest.mark.asyncio to async tests that lack it (strict mode)"
    triggers = (b"\x00placeholder",)
