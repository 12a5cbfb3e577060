"""asynctest: asynctest → ``unittest.mock`` (``CoroutineMock`` → ``AsyncMock``) and ``unittest.IsolatedAsyncioTestCase``.

What asynctest offered moves to the standard library: its mocks to ``unittest.mock``
(``CoroutineMock`` → ``AsyncMock``), ``asynctest.TestCase`` to
``unittest.IsolatedAsyncioTestCase`` with its async hooks renamed, the unittest names it
re-exported to ``unittest``; what has no standard equivalent is reported.
"""

from __future__ import annotations

from .transform import Asynctest

__all__ = ["Asynctest"]
