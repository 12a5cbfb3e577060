"""asynctest: asynctest → ``unittest.mock`` (``CoroutineMock`` → ``AsyncMock``) and ``unittest.IsolatedAsyncioTestCase``.

What:
    Rewrites what the unmaintained ``asynctest`` package offered onto the standard library:

    - ``CoroutineMock`` → ``AsyncMock``; ``Mock``, ``MagicMock``, ``NonCallableMock``,
      ``NonCallableMagicMock``, ``PropertyMock``, ``patch`` (and ``patch.object``/``.dict``/
      ``.multiple``), ``call``, ``ANY``, ``DEFAULT``, ``sentinel``, ``mock_open`` and
      ``create_autospec`` → the ``unittest.mock`` objects of the same name; ``patch(...,
      scope=asynctest.GLOBAL)`` loses the ``scope`` argument (the standard patch behaves that way).
    - ``asynctest.TestCase`` as a base class → ``unittest.IsolatedAsyncioTestCase``. In that
      class and in the module's classes derived from it: ``async def setUp``/``tearDown`` →
      ``asyncSetUp``/``asyncTearDown`` (``await super().setUp()`` follows), sync ones stay;
      ``self.loop`` directly in an ``async def`` method → ``asyncio.get_running_loop()``;
      ``self.addCleanup(<an async def of the class or module>)`` → ``self.addAsyncCleanup``;
      ``await self.assertAsyncRaises(E, aw)`` (and ``...RaisesRegex``, ``...Warns``,
      ``...WarnsRegex``) as a statement → ``with self.assertRaises(E): await aw``.
    - the names asynctest re-exported from unittest (``asynctest.skipIf``, ``asynctest.main``...)
      → ``unittest.skipIf``...
    - ``import asynctest``, ``import asynctest as at``, ``import asynctest.mock``,
      ``from asynctest import ...`` and ``from asynctest.mock import ...`` are all followed, and
      an asynctest import is removed once nothing uses it.

    How the new names are spelled (one style, the one ruff's isort rules accept as is):

    - a module that already imports ``unittest.mock`` as a module (``from unittest import mock``,
      ``import unittest.mock [as m]``) gets ``mock.AsyncMock`` (its own spelling) everywhere;
    - otherwise a name that was from-imported from asynctest is from-imported from
      ``unittest.mock`` under the same local name (``from asynctest import CoroutineMock as CM``
      → ``from unittest.mock import AsyncMock as CM``; unaliased ``CoroutineMock`` uses become
      ``AsyncMock``), merged into an existing ``from unittest.mock import`` line;
    - otherwise an attribute use (``asynctest.CoroutineMock``, ``at.mock.patch``) becomes
      ``mock.AsyncMock``/``mock.patch`` with ``from unittest import mock`` (or
      ``unittest.mock.X`` with ``import unittest.mock`` when the name ``mock`` is taken);
    - unittest-level names are written ``unittest.IsolatedAsyncioTestCase``,
      ``unittest.skipIf``... with ``import unittest``, unless the module already from-imports
      that name from unittest.

Why:
    asynctest has not been released since 2019 and does not even import on Python 3.11+
    (it uses ``asyncio.coroutine``). Everything most suites used from it has been in the
    standard library since Python 3.8.

Safety:
    Names are resolved through the module's imports: a local ``Mock`` class, a variable named
    ``asynctest``, a project module ``asynctest_helpers`` or a string that mentions asynctest
    are not touched. Test methods of the converted classes are unittest tests: they get no
    pytest marks. Reported and left as they are (the asynctest import then stays): what has
    no standard equivalent (``ClockedTestCase``, ``@fail_on``, ``@strict``, ``@lenient``,
    ``helpers.exhaust_callbacks``, ``return_once``, ``patch(scope=LIMITED)``,
    ``Mock(is_coroutine=...)``, the selector mocks, ``from asynctest import *``),
    ``asynctest.TestCase`` used other than as a base class, ``self.loop`` in sync methods or
    nested functions, ``use_default_loop``/``forbid_get_event_loop`` class attributes,
    ``CoroutineMock().awaited`` (AsyncMock has no such condition), cleanups that may be
    coroutine functions, and ``async def setUp``/``tearDown`` in classes whose base is defined
    in another module (it may be a migrated asynctest TestCase: rename them by hand then).
    asynctest TestCase subclasses in modules that do not mention asynctest are not seen.
"""

from __future__ import annotations

from .transform import Asynctest

__all__ = ["Asynctest"]
