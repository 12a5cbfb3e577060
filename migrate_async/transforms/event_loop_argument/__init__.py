"""event-loop-argument: the ``event_loop`` argument of async tests and fixtures → ``asyncio.get_running_loop()``.

An async test or fixture that takes ``event_loop`` loses the parameter, and gets
``event_loop = asyncio.get_running_loop()`` first when its body still uses the name; inside a
coroutine, ``loop=`` arguments that asyncio no longer takes are dropped.
"""

from __future__ import annotations

from .survey import survey_event_loop_fixtures
from .transform import LOOP_REMOVED_IN_310, EventLoopArgument

__all__ = ["LOOP_REMOVED_IN_310", "EventLoopArgument", "survey_event_loop_fixtures"]
