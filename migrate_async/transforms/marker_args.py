"""marker-args: PLACEHOLDER, being written. mark.asyncio(scope=…) → loop_scope=; drop dead marker arguments and misplaced marks"""

from __future__ import annotations

from .base import Transform


class MarkerArgs(Transform):
    name = "marker-args"
    summary = "mark.asyncio(scope=…) → loop_scope=; drop dead marker arguments and misplaced marks"
    triggers = (b"\x00placeholder",)
