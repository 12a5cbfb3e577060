"""Which plugin runs a project's async tests: pytest-asyncio, or something else.

Every transform rewrites tests *for pytest-asyncio*. Where something else runs the async
tests (anyio's plugin, pytest-trio, a ``pytest_pyfunc_call`` hook of the project's own) or
pytest-asyncio is not there at all, a rewrite breaks a suite that works: an added
``asyncio`` mark or ``asyncio_*`` key stops it at start-up under ``--strict-markers`` /
``--strict-config``. The questions are asked here once, from the evidence a run has:

- ``disabled_by(config)``: the configuration switches pytest-asyncio off (``-p no:asyncio``);
- ``other_runner(config)``: the configuration hands async tests to another plugin
  (``anyio_mode = auto``, ``trio_mode = true``) and says nothing of pytest-asyncio;
- ``hook_runs_coroutines(source)``: a conftest.py whose ``pytest_pyfunc_call`` hook runs
  coroutine tests itself; ``plugin_runs_coroutines(source)``: one that loads a plugin that
  does (``pytest_plugins = "aiohttp.pytest_plugin"``), unless a selected transform moves
  that plugin's tests onto pytest-asyncio (``Transform.adopts``);
- ``SIGNS_IN_CODE``: the bytes that show pytest-asyncio in a file (its import, its mark);
- ``may_run_a_loop(data)``: a test file whose code may run an event loop in the session.
- ``unset_scope_advice(config)``: what a project that does not use pytest-asyncio must add
  to its warning filters for pytest-asyncio to be installed beside it (its configuration
  turns that plugin's start-up warning into an error).

The engine combines them with the project's declared requirements (see project/requirements.py):
a project where pytest-asyncio is disabled, or absent everywhere (not declared, not
imported, no asyncio mark, no ``asyncio_*`` setting), is left as it is, and so is a folder
whose conftest.py runs coroutines through its own hook, but for the files in it that show
pytest-asyncio themselves.
"""

from __future__ import annotations

import ast
import re

from ..present import Present
from ..project.config_files import PytestConfig
from . import aiohttp

#: The names pytest knows pytest-asyncio's plugin by (``-p no:NAME``).
PLUGIN_NAMES = frozenset({"asyncio", "pytest_asyncio", "pytest_asyncio.plugin"})

#: Bytes that show pytest-asyncio in a file: its import (or a ``pytest_plugins`` entry) and its mark.
SIGNS_IN_CODE = (b"pytest_asyncio", b"mark.asyncio")

#: The distribution whose declaration says a project uses pytest-asyncio.
DISTRIBUTION = "pytest-asyncio"


def _named(config: PytestConfig) -> str:
    """The configuration file's name, for a reason said after its path."""
    return config.path.name if config.path is not None else "the configuration"


def disabled_by(config: PytestConfig) -> str | None:
    """``-p no:asyncio in pyproject.toml`` when the configuration's ``addopts`` disable
    pytest-asyncio's plugin, else None."""
    for value in plugin_args(config):
        if value.startswith("no:") and value[3:] in PLUGIN_NAMES:
            return f"-p {value} in {_named(config)}"
    return None


def plugin_args(config: PytestConfig) -> list[str]:
    """The values of the configuration's ``-p NAME`` options in ``addopts`` (``no:asyncio``,
    ``tests.plugins.loops``), in order."""
    args = config.get_list("addopts") or []
    found = []
    for i, arg in enumerate(args):
        if arg in ("-p", "--plugin") and i + 1 < len(args):
            found.append(args[i + 1])
        elif arg.startswith("-p") and not arg.startswith("--") and len(arg) > 2:
            found.append(arg[2:].lstrip("="))
    return found


def configures_pytest_asyncio(config: PytestConfig) -> str | None:
    """The first setting that is pytest-asyncio's (an ``asyncio_*`` key, ``--asyncio-mode``
    in addopts), for the summary; None when the configuration names none."""
    for key in config.values:
        if key.startswith("asyncio_"):
            return f"{key} in {_named(config)}"
    for arg in config.get_list("addopts") or []:
        if arg.startswith("--asyncio-mode"):
            return f"{arg} in {_named(config)}"
    return None


def not_run_here(config: PytestConfig) -> str | None:
    """Why pytest-asyncio does not run the async tests of this configuration's project (it
    is disabled, or another plugin runs them: then nothing is changed there), or None."""
    disabled = disabled_by(config)
    return f"pytest-asyncio is disabled here ({disabled})" if disabled else other_runner(config)


def shows_plugin(config: PytestConfig, pinned: bool) -> bool:
    """Whether the project shows pytest-asyncio without reading its code: in its
    configuration, or ``pinned`` (its requirements declare it)."""
    return configures_pytest_asyncio(config) is not None or pinned


def configures_options(config: PytestConfig) -> bool:
    """Whether the configuration sets one of pytest-asyncio's options (evidence enough for
    every transform that looks for evidence of use)."""
    return any(key.startswith("asyncio_") for key in config.values)


#: Why a project that shows pytest-asyncio nowhere (not declared, no setting, no file
#: importing it or using its mark) is left as it is.
NOT_USED = "pytest-asyncio is not used here (not declared, not imported, no asyncio mark, no asyncio_* setting)"


def other_runner(config: PytestConfig) -> str | None:
    """Why another plugin runs every async test of this configuration (``anyio_mode = auto``
    or ``trio_mode = true``), when it says nothing of pytest-asyncio; else None."""
    if configures_pytest_asyncio(config) is not None:
        return None
    if (config.get_str("anyio_mode") or "").lower() == "auto":
        return f"anyio runs the async tests here (anyio_mode = auto in {_named(config)})"
    if config.get_bool("trio_mode"):
        return f"pytest-trio runs the async tests here (trio_mode = true in {_named(config)})"
    return None


#: What a test file or conftest.py holds when its code runs an event loop in the pytest
#: session (an async test or fixture, a loop run by hand, the old loop fixture that
#: sync-to-async makes async code of, ``asyncio.run``): where no file of a project holds
#: one, no loop ever runs and the current loop is never unset (pytest-asyncio 1.4 unsets
#: it once an async test has run).
RUNS_A_LOOP = (b"async def", b"run_until_complete", b"event_loop", b"asyncio.run(")


def may_run_a_loop(data: bytes | Present) -> bool:
    """Whether a test file's bytes may run an event loop in the session (:data:`RUNS_A_LOOP`)."""
    for word in RUNS_A_LOOP:  # (a plain loop: this runs for every file of a tree)
        if word in data:
            return True
    return False


def plugin_runs_coroutines(source: bytes) -> tuple[str, int] | None:
    """(module, line) of a ``pytest_plugins`` entry in this conftest.py source that loads a
    plugin running coroutine tests itself (aiohttp's legacy plugin, whose
    ``pytest_pyfunc_call`` runs them on its ``loop``); None when there is none."""
    lines = aiohttp.legacy_plugin_lines(source)
    return (aiohttp.LEGACY_PLUGIN, lines[0]) if lines else None


#: Calls inside a ``pytest_pyfunc_call`` hook that show it runs coroutines itself.
_RUNNER_CALLS = frozenset({"iscoroutinefunction", "iscoroutine", "run_until_complete", "run", "start_soon"})
_RUNNER_OWNERS = frozenset({"asyncio", "trio", "anyio", "curio", "inspect", "loop"})


def hook_runs_coroutines(source: bytes) -> int | None:
    """The line of a ``pytest_pyfunc_call`` hook in this conftest.py source that runs
    coroutine tests itself (it asks ``iscoroutinefunction`` or calls ``trio.run`` /
    ``asyncio.run`` / ``run_until_complete``); None when there is none, or the source does
    not parse."""
    if b"pytest_pyfunc_call" not in source:
        return None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "pytest_pyfunc_call":
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call):
                    func = inner.func
                    if isinstance(func, ast.Attribute) and func.attr in _RUNNER_CALLS:
                        owner = func.value
                        if func.attr != "run" or (isinstance(owner, ast.Name) and owner.id in _RUNNER_OWNERS):
                            return node.lineno
                    elif isinstance(func, ast.Name) and func.id in ("iscoroutinefunction", "iscoroutine"):
                        return node.lineno
    return None


# == a project that does not use pytest-asyncio, where warnings are errors ==
#
# Whether a project's pytest configuration turns pytest-asyncio's start-up warning into an
# error, read the way pytest reads its warning filters.
#
# pytest-asyncio 0.24.0 to 1.5.0 warns at configure time when
# ``asyncio_default_fixture_loop_scope`` is unset (a ``PytestDeprecationWarning``). A project
# that does not use pytest-asyncio but runs with ``filterwarnings = error`` (trio and anyio
# projects often do) stops at start-up where pytest-asyncio is installed beside it, as in a
# shared environment. Setting the option there is no cure: where pytest-asyncio is not
# installed, pytest warns of an unknown option, an error under the same filter (and under
# ``--strict-config`` always). A filter entry that ignores just that warning works either way.
#
# pytest's filters: each entry is ``action:message:category:module:lineno``
# (``warnings.filterwarnings`` arguments, the message and module as regular expressions
# matched at the start, case-insensitively for the message); the configuration's entries are
# applied first, then those of ``-W`` on the command line, and the last one that matches a
# warning decides.

#: The first line of pytest-asyncio's warning where the option is unset (0.24.0 → 1.5.0):
#: the same in every release (what follows it was reworded in 1.4 and 1.5).
UNSET_SCOPE_WARNING = 'The configuration option "asyncio_default_fixture_loop_scope" is unset.'
#: Its category's full name, and the names a filter may give it or a base of it by.
_CATEGORY = "pytest.PytestDeprecationWarning"
_BASES = frozenset({
    "Warning", "UserWarning", "DeprecationWarning",
    "builtins.Warning", "builtins.UserWarning", "builtins.DeprecationWarning",
    "pytest.PytestWarning", _CATEGORY,
    "_pytest.warning_types.PytestWarning", "_pytest.warning_types.PytestDeprecationWarning",
})
#: The module that warns (``warnings.warn`` in its ``pytest_configure``).
_MODULE = "pytest_asyncio.plugin"
#: A filter entry that ignores only that warning (with or without pytest-asyncio installed).
UNSET_SCOPE_FILTER = f"ignore:{UNSET_SCOPE_WARNING.rstrip('.')}:{_CATEGORY}"
#: ``warnings``' actions, in the order it completes an abbreviation (``e`` is ``error``).
_ACTIONS = ("default", "always", "all", "ignore", "module", "once", "error")


def unset_scope_warning_error(config: PytestConfig) -> str | None:
    """The filter of ``config`` that makes pytest-asyncio's unset-option warning an error
    (``filterwarnings = error``, ``-W error in addopts``), or None: no filter does, or one
    that may match it after that is not ``error`` (or cannot be told: a line number)."""
    if "no:warnings" in plugin_args(config):
        return None  # pytest's warnings plugin is off: it applies no filter
    entries = [(entry, f"filterwarnings = {entry}", False) for entry in config.get_lines("filterwarnings")]
    entries += [(value, f"{spelled} in addopts", True) for value, spelled in _command_line_filters(config)]
    for entry, where, escaped in reversed(entries):
        action, matches = _reading(entry, escaped)
        if matches is False:
            continue
        return where if matches and action == "error" else None
    return None


def unset_scope_advice(config: PytestConfig) -> str | None:
    """What a project that does not use pytest-asyncio must add for it to be installed
    beside it, where its configuration turns that plugin's start-up warning into an error."""
    where = unset_scope_warning_error(config)
    if where is None:
        return None
    return (
        f"If pytest-asyncio is installed beside it (a shared environment), its start-up warning "
        f"'{UNSET_SCOPE_WARNING}' is an error under {where} and pytest stops: add the filterwarnings entry "
        f"'{UNSET_SCOPE_FILTER}' (not that option itself: where pytest-asyncio is not installed, pytest "
        "warns of an unknown option, an error there)"
    )


def _command_line_filters(config: PytestConfig) -> list[tuple[str, str]]:
    """The ``-W`` / ``--pythonwarnings`` values of ``addopts`` (value, as spelled), in order."""
    args = config.get_list("addopts") or []
    found = []
    for i, arg in enumerate(args):
        if arg in ("-W", "--pythonwarnings") and i + 1 < len(args):
            found.append((args[i + 1], f"{arg} {args[i + 1]}"))
        elif arg.startswith("--pythonwarnings="):
            found.append((arg.partition("=")[2], arg))
        elif arg.startswith("-W") and len(arg) > 2 and not arg.startswith("-W="):
            found.append((arg[2:], arg))
    return found


def _reading(entry: str, escaped: bool = False) -> tuple[str | None, bool | None]:
    """(its action, whether it matches the warning: True, False, or None when that cannot
    be told); an entry pytest would reject matches nothing. ``escaped``: a ``-W`` value,
    whose message pytest reads as plain text and whose module as the whole name."""
    parts = [part.strip() for part in entry.split(":")]
    if len(parts) > 5:
        return None, False
    action, message, category, module, lineno = parts + [""] * (5 - len(parts))
    action = next((a for a in _ACTIONS if a.startswith(action)), None) if action else "default"
    if action is None:
        return None, False
    if (category or "Warning") not in _BASES:
        return action, False  # another category: no base of that warning's
    if escaped:
        message = re.escape(message) if message else message
        module = re.escape(module) + r"\Z" if module else module
    try:
        if message and not re.compile(message, re.IGNORECASE).match(UNSET_SCOPE_WARNING):
            return action, False
        if module and not re.compile(module).match(_MODULE):
            return action, False
    except re.error:
        return action, False
    if lineno and lineno != "0":
        return action, None
    return action, True
