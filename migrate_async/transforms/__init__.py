"""The registry: every transform, in the order the engine runs them."""

from __future__ import annotations

from .aiohttp_plugin import AiohttpPlugin
from .async_fixture import AsyncFixture
from .asyncio_marker import AsyncioMarker
from .asyncio_sleep import AsyncioSleep
from .asynctest_migration import Asynctest
from .auto_mode import AutoMode
from .event_loop_argument import EventLoopArgument
from .event_loop_fixture import EventLoopFixture
from .fixture_loop_scope import FixtureLoopScope
from .get_running_loop import GetRunningLoop
from .httpx_asgi_transport import HttpxAsgiTransport
from .marker_args import MarkerArgs
from .sync_to_async import SyncToAsync
from .transform import ConfigRequest, MigrationContext, Note, Transform

# Order matters: a transform sees the output of the ones before it.
# - the event_loop migration first: it decides loop scopes and turns sync tests async;
# - library migrations next (asynctest, httpx, aiohttp's legacy pytest plugin: before the
#   marks, so that asyncio-marker marks the tests that plugin ran);
# - then marks are repaired before missing ones are added, and fixtures are converted
#   before their loop scope is set;
# - auto-mode last: it removes the bare marks that auto mode makes redundant.
REGISTRY: list[type[Transform]] = [
    EventLoopFixture,
    EventLoopArgument,
    SyncToAsync,
    GetRunningLoop,
    Asynctest,
    HttpxAsgiTransport,
    AiohttpPlugin,
    MarkerArgs,
    AsyncioMarker,
    AsyncFixture,
    FixtureLoopScope,
    AsyncioSleep,
    AutoMode,
]

BY_NAME: dict[str, type[Transform]] = {t.name: t for t in REGISTRY}

#: The transforms whose edits any runner of async tests takes (``await asyncio.sleep``,
#: ``unittest.mock``, httpx's transport, the running loop); the others' edits run only under
#: the plugin the run migrates to (marks, its fixture decorator, loop scopes, its settings).
RUNNER_FREE = frozenset({AsyncioSleep.name, Asynctest.name, GetRunningLoop.name, HttpxAsgiTransport.name})

__all__ = ["BY_NAME", "REGISTRY", "RUNNER_FREE", "ConfigRequest", "MigrationContext", "Note", "Transform"]
