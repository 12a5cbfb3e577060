"""event-loop-fixture: remove ``event_loop`` fixture overrides and carry their meaning over.

Every ``event_loop`` fixture a project defines (root or nested conftest.py, test module, test
class, or a helper module a test module imports it from) goes, and what it meant moves to
pytest-asyncio 1.x's forms: its scope to loop scopes (config defaults, marks,
``loop_scope=``), its loop type to the ``pytest_asyncio_loop_factories`` hook, its debug flag
to ``asyncio_debug``, its setup and teardown to an autouse fixture. One it cannot carry over
is left, with the reason.

The phases: ``survey`` reads each file (``body`` what an override does with its loop,
``judge`` the verdict, ``chain`` the conftest.py files above, ``nested``, ``naming``,
``policy``), ``state``, ``marks``, ``hooks``, ``setup_fixtures`` and ``transform`` rewrite
it.
"""

from __future__ import annotations

from .survey import LoopOverrideSurvey, Override, survey_source
from .transform import EventLoopFixture

__all__ = ["EventLoopFixture", "LoopOverrideSurvey", "Override", "survey_source"]
