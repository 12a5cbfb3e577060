"""The registry: every transform, in the order the engine runs them."""

from __future__ import annotations

from .async_fixture import AsyncFixture
from .asyncio_marker import AsyncioMarker
from .asyncio_sleep import AsyncioSleep
from .base import ConfigRequest, MigrationContext, Note, Transform
from .fixture_loop_scope import FixtureLoopScope
from .marker_args import MarkerArgs

# Order matters: a transform sees the output of the ones before it. Marks are repaired
# before missing ones are added; fixtures are converted before their loop scope is set.
REGISTRY: list[type[Transform]] = [
    MarkerArgs,
    AsyncioMarker,
    AsyncFixture,
    FixtureLoopScope,
    AsyncioSleep,
]

BY_NAME: dict[str, type[Transform]] = {t.name: t for t in REGISTRY}

__all__ = ["BY_NAME", "REGISTRY", "ConfigRequest", "MigrationContext", "Note", "Transform"]
