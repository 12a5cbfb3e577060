"""fixture-loop-scope: PLACEHOLDER, being written. wider-scoped async fixtures get loop_scope=; the default fixture loop scope is set explicitly"""

from __future__ import annotations

from .base import Transform


class FixtureLoopScope(Transform):
    name = "fixture-loop-scope"
    summary = "wider-scoped async fixtures get loop_scope=; the default fixture loop scope is set explicitly"
    triggers = (b"\x00placeholder",)
