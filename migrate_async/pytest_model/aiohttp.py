"""aiohttp's pytest plugins: what each release provides, and what a migration makes of it.

Read from the released sources (docs/aiohttp-facts.md, cited there as [tag]). Two sections:
"plugins and renames" (aiohttp's legacy plugin, pytest-aiohttp's versions, the deprecated
fixture names) and "loop fixtures" (the plugins' ``loop`` and ``proactor_loop``).
"""

from __future__ import annotations

import ast

from packaging.version import Version as PackageVersion

from .loading import pytest_plugins_entries

# == plugins and renames ====================================================================

#: aiohttp 3.x's own plugin, loaded with ``pytest_plugins = "aiohttp.pytest_plugin"``: its
#: ``pytest_pyfunc_call`` runs coroutine tests on its ``loop`` fixture [A-3.8.6, A-3.14.5].
LEGACY_PLUGIN = "aiohttp.pytest_plugin"
#: pytest-aiohttp 0.x's module: ``from aiohttp.pytest_plugin import *``, registered under
#: the ``pytest11`` entry point ``aiohttp = pytest_aiohttp`` [PA-0.3.0].
PYTEST_AIOHTTP_MODULE = "pytest_aiohttp"
#: pytest-aiohttp 1.x's plugin (entry point ``aiohttp = pytest_aiohttp.plugin``), built on
#: pytest-asyncio [PA-1.0.5, PA-1.1.0].
PYTEST_AIOHTTP_PLUGIN = "pytest_aiohttp.plugin"
#: The distribution, as requirements name it.
DISTRIBUTION = "pytest-aiohttp"

#: The first pytest-aiohttp that leaves async tests and fixtures to pytest-asyncio [PA-CHANGES].
ON_PYTEST_ASYNCIO = PackageVersion("1.0")
#: The pytest-aiohttp a migration to pytest-asyncio 1.x declares: 1.0.x requires
#: ``pytest-asyncio>=0.17.2`` with no upper bound [M-PA-1.0.5], and its fixtures other than
#: ``loop``/``proactor_loop`` (which request the removed ``event_loop``) work on pytest 9 and
#: pytest-asyncio 1.5 [EXP]; 1.0.5 is the newest 1.0.x and still installs beside aiohttp
#: 3.8-3.10, which 1.1.0 does not (``aiohttp>=3.11.0b0`` [M-PA-1.1.0]).
FLOOR = PackageVersion("1.0.5")
#: The first pytest-aiohttp without ``loop``, ``proactor_loop`` and ``aiohttp_unused_port`` [PA-1.1.0].
LOOP_FIXTURES_REMOVED = PackageVersion("1.1.0")

#: aiohttp's legacy plugin's deprecated fixture names → the name a test requests under
#: pytest-aiohttp 1.x with pytest-asyncio [A-3.8.6, PA-1.0.5, PA-1.1.0]. Each value has the
#: same calling convention: ``aiohttp_client(app)``, ``aiohttp_server(app)``,
#: ``aiohttp_raw_server(handler)``; ``unused_port`` and ``aiohttp_unused_port`` hand the test
#: a function returning a free port (aiohttp's ``test_utils.unused_port``), as pytest-asyncio's
#: ``unused_tcp_port_factory`` does (a session-scoped fixture, each call a port not handed out
#: before). pytest-aiohttp 1.0's ``aiohttp_unused_port`` returns ``unused_tcp_port_factory``
#: itself; 1.1.0 removed it.
RENAMES: dict[str, str] = {
    "test_client": "aiohttp_client",
    "test_server": "aiohttp_server",
    "raw_test_server": "aiohttp_raw_server",
    "unused_port": "unused_tcp_port_factory",
    "aiohttp_unused_port": "unused_tcp_port_factory",
}

#: Every fixture a test of an aiohttp suite requests from pytest-aiohttp (0.3: aiohttp's
#: plugin, star-imported; 1.0; 1.1) or from aiohttp's legacy plugin, by the name it was
#: written with [A-3.8.6, PA-0.3.0, PA-1.0.5, PA-1.1.0]. (``fast`` and ``loop_debug`` are left
#: out: words too common to say anything of a project.)
PLUGIN_FIXTURES = frozenset({
    "loop", "proactor_loop", "aiohttp_client", "aiohttp_server", "aiohttp_raw_server",
    "aiohttp_unused_port", "aiohttp_client_cls", "test_client", "test_server", "raw_test_server",
    "unused_port",
})
#: Of those, the names other plugins give fixtures too (pytest-sanic's ``loop``,
#: ``test_client``, ``test_server``, ``unused_port``): a request of one says aiohttp only in a
#: module that uses aiohttp and not such a framework.
SHARED_NAMES = frozenset({"loop", "proactor_loop", "test_client", "test_server", "raw_test_server", "unused_port"})
#: Top-level modules whose import in a test module shows the tests use aiohttp.
AIOHTTP_MODULES = frozenset({"aiohttp", "pytest_aiohttp"})
#: Top-level modules of frameworks whose plugins give fixtures of the shared names.
OTHER_FRAMEWORKS = frozenset({"sanic", "pytest_sanic"})
#: Distributions of other pytest plugins that give fixtures of the shared names (pytest-sanic's
#: ``loop`` and ``test_client``; aiomisc's plugin, split out as aiomisc-pytest in aiomisc 17,
#: its ``loop``): where a project declares one, a request of those names says nothing of
#: pytest-aiohttp, whatever the requesting module imports.
OTHER_LOOP_PLUGINS = frozenset({"pytest-sanic", "aiomisc", "aiomisc-pytest"})

#: pytest-aiohttp 1.x's fixtures that are async (set up on pytest-asyncio's loop): a
#: ``getfixturevalue`` of one inside an async test cannot set it up [PA-1.0.5, PA-1.1.0].
ASYNC_FIXTURES = frozenset({"aiohttp_client", "aiohttp_server", "aiohttp_raw_server"})
#: The client fixture of pytest-aiohttp 1.x (``test_client``'s successor).
CLIENT_FIXTURE = "aiohttp_client"
#: aiohttp's legacy ``test_client(factory)`` called an app factory with the loop
#: (``__param(loop, *args, **kwargs)`` [A-3.8.6]); pytest-aiohttp 1.x's ``aiohttp_client``
#: takes an Application or a server and raises "Unknown argument type" for a callable [PA-1.0.5].
APP_FACTORY_GONE = (
    "aiohttp_client takes an Application (or a server), not an app factory called with the loop as "
    "aiohttp's legacy test_client did: it raises 'Unknown argument type'; build the app first "
    "(await aiohttp_client(create_app())) with the factory no longer taking the loop"
)

#: What the legacy plugin offered that pytest-aiohttp 1.x has no fixture or option for, and
#: what to write instead [A-3.8.6, A-3.14.5].
NO_SUCCESSOR: dict[str, str] = {
    "--aiohttp-loop": (
        "--aiohttp-loop is aiohttp's legacy plugin's option (pyloop, uvloop, all): pytest-aiohttp 1.x has "
        "none; choose the loop with pytest-asyncio's pytest_asyncio_loop_factories hook (1.4+) in conftest.py"
    ),
    "--aiohttp-fast": (
        "--aiohttp-fast is aiohttp's legacy plugin's option (no gc.collect() after each test): "
        "pytest-aiohttp 1.x has none; drop it"
    ),
    "--aiohttp-enable-loop-debug": (
        "--aiohttp-enable-loop-debug is aiohttp's legacy plugin's option: use pytest-asyncio's "
        "asyncio_debug = true (1.2+) or --asyncio-debug"
    ),
    "loop_debug": (
        "the loop_debug fixture is aiohttp's legacy plugin's (the --aiohttp-enable-loop-debug flag): "
        "pytest-aiohttp 1.x has none; read asyncio.get_running_loop().get_debug() in an async test, "
        "or set asyncio_debug = true (pytest-asyncio 1.2+)"
    ),
    "fast": (
        "the fast fixture is aiohttp's legacy plugin's (the --aiohttp-fast flag): pytest-aiohttp 1.x has none"
    ),
}


def is_legacy_plugin(module: str) -> bool:
    """Whether a ``pytest_plugins`` entry (or ``-p`` value) loads aiohttp's legacy plugin."""
    return module == LEGACY_PLUGIN


def legacy_plugin_lines(source: bytes) -> list[int]:
    """The lines of the module-level ``pytest_plugins`` assignments (a string, a list or a
    tuple) in this source that name aiohttp's legacy plugin; empty when none does or the
    source does not parse."""
    if LEGACY_PLUGIN.encode() not in source:
        return []
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    return sorted({line for line, module in pytest_plugins_entries(tree) if module == LEGACY_PLUGIN})


def loads_legacy_plugin(specifier_floor: PackageVersion | None) -> bool:
    """Whether a pytest-aiohttp declaration whose lowest admitted release is this installs
    0.x, whose module star-imports aiohttp's legacy plugin and is loaded by its ``pytest11``
    entry point [PA-0.3.0]: the plugin's ``loop``, ``test_client``... and coroutine runner
    reach every test without a ``pytest_plugins`` line."""
    return specifier_floor is not None and specifier_floor < ON_PYTEST_ASYNCIO


def runs_on_pytest_asyncio(specifier_floor: PackageVersion | None) -> bool:
    """Whether a pytest-aiohttp declaration whose lowest admitted release is this (None: no
    lower bound) installs a plugin built on pytest-asyncio: 1.0 or newer."""
    return specifier_floor is not None and specifier_floor >= ON_PYTEST_ASYNCIO
