"""The code migrate-async writes into a conftest.py, laid out one way.

Transforms build what they ask a conftest.py to hold from here; the engine only merges and
places it. Everything is built from text and parsed, so the output reads as written, and laid
out as black would lay it out at the project's line length.

- the ``event_loop`` fixture of the project's own (:func:`own_loop_code`, sync-to-async);
- the collection hook that gives the async tests a loop scope, and the hook (or the older
  ``event_loop_policy`` fixture) that gives them a loop type (:func:`collection_hook`,
  :func:`factory_hook`, event-loop-fixture);
- the branches of the loop-factories hook, one per test module (or class) whose override chose
  a loop type (:class:`LoopFactoryBranch`, see below).

A hook lives only in a conftest.py (or a plugin), and it answers for every test below its
folder, so each branch tests the item first::

    def pytest_asyncio_loop_factories(config, item):
        # test_clock.py's event_loop fixture gave its tests StepLoop loops
        if item.path == Path(__file__).parent / "test_clock.py":
            return {"StepLoop": item.module.StepLoop}
        return {"asyncio": asyncio.new_event_loop}

pytest-asyncio 1.4+ asks the nearest conftest's hook first and takes the first answer that
is not None; it refuses None when every hook said None (a UsageError). So a new hook ends
with asyncio's own loop for the other tests, the loop they had, unless a conftest.py above
(within the project) has a hook of its own: then it ends with ``return None`` and that one
decides, as it did before. A hook the conftest.py has already gets the branches at the top
of its body, where they decide before anything the hook did. A branch that only keeps
asyncio's loop where no hook covers the conftest.py is not written: nothing else would
give those tests another loop.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from pathlib import PurePath
from typing import NamedTuple

import libcst as cst

from ..cstkit.names import literal_repr
from .event_loop import FIXTURE_NAME, LOOP_FACTORIES_HOOK_NAME, OWN_LOOP_MARK
from .loop_scopes import FUNCTION
from .versions import LOOP_FACTORIES_HOOK, Version

#: How a module spells a dotted name (scheduling its import), called in the order the names
#: appear in the code.
Spell = Callable[[str], str]
Imports = tuple[tuple[str, "str | None"], ...]

#: the imports a new hook's fallback and every branch's path test need
PATH_IMPORT = ("pathlib", "Path")
ASYNCIO_IMPORT = ("asyncio", None)
#: the imports the ``event_loop`` fixture of the project's own needs (own_loop_code)
OWN_LOOP_IMPORTS = (ASYNCIO_IMPORT, ("pytest", None), ("warnings", None))


# -- the event_loop fixture of the project's own (sync-to-async) -----------------------------


def own_loop_code(scope: str | None = None) -> str:
    """The ``event_loop`` fixture of the project's own that sync code needing a loop object
    gets in its conftest.py: what pytest-asyncio 0.21 (or the project's override) gave it, a
    new loop of that scope, the current loop while it lives (0.21 set it so: ``ensure_future``,
    ``gather`` and ``get_event_loop()`` in sync code use it), closed after. Its imports are
    OWN_LOOP_IMPORTS. Its docstring carries OWN_LOOP_MARK, so that a later run takes it for
    the project's own.

    At teardown the loop that was current before it is current again (a session fixture of
    the project may have set one that later tests use), or none when none was. Python has no
    public call that reads the current loop without side effects on 3.10 to 3.14, so it reads
    it as pytest-asyncio 1.x itself does, with ``asyncio.get_event_loop()``:

    - where none is current and nothing ever set one in the main thread, Python 3.12 and 3.13
      warn (DeprecationWarning), then make and set a loop; the warning, made an error for the
      read alone, stops that before the loop is made, and counts as "none". Python 3.10.0 to
      3.10.8 and 3.11.0 gave that warning whenever no loop ran: there it counts as none too,
      which leaves none current, as pytest-asyncio 1.4+ does after its own tests;
    - after a ``set_event_loop(None)``, or on Python 3.14 with none current, the read raises
      RuntimeError: none;
    - Python 3.10.9+ and 3.11.1+ make that loop silently as they read. It cannot be told from
      a loop the project set (no public call says whether one was ever set), so every loop
      read is treated alike: it is current again after, and the fixture keeps it to close it
      when the run ends, unless it is current or running then (the project's, or
      pytest-asyncio's own loop of a wider scope, still in use). Unkept, the made loop would
      be dropped unclosed once pytest-asyncio sets its own, and its ResourceWarning fails a
      later test under ``filterwarnings = error``.

    ``asyncio.get_event_loop_policy()`` is not used: it is deprecated from Python 3.14."""
    scope = scope or FUNCTION  # a loop per test, unless the old fixture was wider
    decorator = "@pytest.fixture" if scope == FUNCTION else f'@pytest.fixture(scope="{scope}")'
    each = "test" if scope == FUNCTION else scope
    return (
        f"{decorator}\n"
        "def event_loop(request):\n"
        f'    """A new event loop for each {each}, {OWN_LOOP_MARK}\n'
        "    (pytest-asyncio 1.0 removed its own event_loop fixture), current while it lives;\n"
        '    the loop current before it is current again after."""\n'
        "\n"
        "    def current():\n"
        "        # the current loop, or None; where none was ever set, reading makes one:\n"
        "        # Python 3.12-3.13 warn first (an error here, so none is made), 3.10.9-3.11 do not\n"
        "        with warnings.catch_warnings():\n"
        '            warnings.simplefilter("error", DeprecationWarning)\n'
        "            try:\n"
        "                return asyncio.get_event_loop()\n"
        "            except (RuntimeError, DeprecationWarning):\n"
        "                return None\n"
        "\n"
        "    def close_unused():\n"
        "        if previous is not current() and not previous.is_running():\n"
        "            previous.close()\n"
        "\n"
        "    previous = current()\n"
        "    if previous is not None:\n"
        "        # it may be one the read made, which nothing else would close: closed at the end\n"
        "        # of the run, unless it is in use then\n"
        "        request.session.addfinalizer(close_unused)\n"
        "    loop = asyncio.new_event_loop()\n"
        "    asyncio.set_event_loop(loop)\n"
        "    yield loop\n"
        "    asyncio.set_event_loop(previous)\n"
        "    loop.close()\n"
    )


# -- the hooks that replace a conftest's event_loop override (event-loop-fixture) -------------


def _statement(code: str) -> cst.BaseStatement:
    return cst.parse_statement(code).with_changes(leading_lines=(cst.EmptyLine(), cst.EmptyLine()))


def loop_key(factory: str) -> str:
    """The key a loop class (or factory) has in the loop-factories hook's answer: its own
    name, without the module it is reached through (``item.module.StepLoop`` → ``StepLoop``)."""
    return factory.split(".")[-1]


def collection_hook(scope: str, limited: bool, spell: Spell, line_length: int = 88) -> cst.BaseStatement:
    """``pytest_collection_modifyitems`` giving the async tests ``loop_scope=<scope>``
    (``limited``: only those below the conftest's folder)."""
    pytest_name = spell("pytest.mark.asyncio")
    is_async = spell("pytest_asyncio.is_async_test")
    lines = [
        "def pytest_collection_modifyitems(items):",
        f'    # The async tests {"below this folder" if limited else "of the project"} share one {scope} '
        "loop, as with the event_loop",
        "    # fixture this hook replaces (pytest-asyncio 1.x); an explicit loop_scope wins.",
    ]
    if limited:
        path = spell("pathlib.Path")
        lines.append(f"    here = {path}(__file__).parent")
    lines += [
        "    for item in items:",
        '        mark = item.get_closest_marker("asyncio")',
    ]
    unmarked = 'mark is None or "loop_scope" not in mark.kwargs'
    # laid out as black lays it out at the project's line length: three conditions one per
    # line; two on one line when they fit, else the parenthesised one split off
    if limited:
        lines += [
            "        if (",
            f"            {is_async}(item)",
            "            and here in item.path.parents",  # Path.is_relative_to needs Python 3.9
            f"            and ({unmarked})",
            "        ):",
        ]
    elif len(flat := f"        if {is_async}(item) and ({unmarked}):") <= line_length:
        lines.append(flat)
    else:
        lines += [f"        if {is_async}(item) and (", f"            {unmarked}", "        ):"]
    lines.append(f"            item.add_marker({pytest_name}(loop_scope={literal_repr(scope)}), append=False)")
    return _statement("\n".join(lines) + "\n")


def factory_hook(
    kind: str, factory: str, target: Version | tuple[int, ...], spell: Spell, replaces: str | None = None
) -> cst.BaseStatement:
    """The loop type of an override: ``pytest_asyncio_loop_factories`` (target ≥ 1.4), else
    an ``event_loop_policy`` fixture for uvloop. ``factory`` is the override's zero-argument
    loop factory (for ``kind`` "uvloop" the module's spelling of uvloop's is used; for
    ``kind`` "asyncio", asyncio's own loop: a nested conftest.py whose ``replaces`` override
    kept its tests on it under a conftest above that gives another loop type, where the
    nearest conftest's hook wins, and the hook says so)."""
    comment = ""
    if kind == "uvloop":
        factory = spell("uvloop.new_event_loop")
        key = "uvloop"
    elif kind == "asyncio":
        factory = spell("asyncio.new_event_loop")
        key = "asyncio"
        comment = (
            f"    # asyncio's own loop for the tests below this folder, as the {replaces}\n"
            "    # fixture this hook replaces gave them: the nearest conftest's hook wins.\n"
        )
    else:
        key = loop_key(factory)
    if target >= LOOP_FACTORIES_HOOK:
        code = (
            f"def {LOOP_FACTORIES_HOOK_NAME}(config, item):\n"
            f"{comment}"
            f"    return {{{literal_repr(key)}: {factory}}}\n"
        )
    else:
        fixture = spell("pytest.fixture")
        policy = spell("uvloop.EventLoopPolicy")
        code = (
            f'@{fixture}(scope="session")\n'
            "def event_loop_policy():\n"
            f"    return {policy}()\n"
        )
    return _statement(code)


# -- branches of a conftest.py's loop-factories hook ------------------------------------------


def loop_name(key: str) -> str:
    return "asyncio's own loop" if key == "asyncio" else f"{key} loops"


def _where(module: PurePath, folder: PurePath) -> str:
    """``module``'s path as the hook spells it, from its own folder (``__file__``)."""
    parts = module.relative_to(folder).parts
    return " / ".join(["Path(__file__).parent", *(literal_repr(part) for part in parts)])


def _condition_lines(conditions: Sequence[str], line_length: int) -> list[str]:
    """``if <conditions joined by and>:`` at the hook's body indent, laid out as black would:
    on one line when it fits, else in parentheses on one line, else one condition a line
    (a comparison still too long split before ``==``)."""
    joined = " and ".join(conditions)
    if len(flat := f"    if {joined}:") <= line_length:
        return [flat]
    if len(inner := f"        {joined}") <= line_length:
        return ["    if (", inner, "    ):"]
    lines = ["    if ("]
    for i, condition in enumerate(conditions):
        line = f"        {'and ' if i else ''}{condition}"
        if len(line) > line_length and " == " in condition:
            # black splits a comparison that is still too long before its operator
            left, right = condition.split(" == ", 1)
            lines += [f"        {'and ' if i else ''}{left}", f"        == {right}"]
        else:
            lines.append(line)
    return [*lines, "    ):"]


def _fallback(above: str | None) -> str:
    if above == "plugin":
        return "    return None  # the other tests: the hook of the plugin module decides\n"
    if above:
        return "    return None  # the other tests: the hook of the conftest.py above decides\n"
    return "    return {\"asyncio\": asyncio.new_event_loop}  # the other tests: asyncio's own loop\n"


class LoopFactoryBranch(NamedTuple):
    """One test module's (or one class's) loop type, for the ``pytest_asyncio_loop_factories``
    hook of the conftest.py that covers it: ``if <item is one of its tests>: return {key:
    factory}`` at the top of that hook (the hook is created when there is none). ``factory``
    is spelled from the test module (``item.module.StepLoop``) or in full with ``imports``
    (``asyncio.new_event_loop``); ``class_name``: only that class's tests (and its
    subclasses').

    It is a branch of a function in the sense of ``transforms.requests.FunctionBranch``:
    the engine merges and places it, and asks it the rest.
    """

    key: str
    factory: str
    imports: Imports = ()
    class_name: str | None = None
    #: the fixture that gave the tests that loop type, for the branch's comment
    fixture: str = FIXTURE_NAME
    #: ``(module, name)`` imported inside the branch, when it is taken: the test module's own
    #: import of it works then (its folder is on sys.path once it is collected), and the name
    #: cannot clash with one of the conftest's
    lazy_import: tuple[str, str] | None = None

    @property
    def narrow(self) -> bool:
        """A class's branch goes before its module's: the first that matches answers."""
        return self.class_name is not None

    @property
    def same_as_fallback(self) -> bool:
        """asyncio's own loop is what a new hook gives the other tests anyway (and what every
        test has where no hook covers it)."""
        return self.key == "asyncio"

    def needs(self) -> Imports:
        """The imports the branch's statement needs."""
        return (PATH_IMPORT, *self.imports)

    def statement(self, module: PurePath, folder: PurePath, line_length: int) -> cst.BaseStatement:
        """The ``if`` statement that gives ``module``'s tests (or its class's) their loop
        type, in the hook of ``folder``'s conftest.py."""
        conditions = [f"item.path == {_where(module, folder)}"]
        whose = module.relative_to(folder).as_posix()
        if self.class_name is not None:
            conditions += ["item.cls is not None", f"issubclass(item.cls, item.module.{self.class_name})"]
            whose = f"{whose}::{self.class_name}"
        comment = textwrap.wrap(
            f"{whose}'s {self.fixture} fixture gave its tests {loop_name(self.key)}",
            width=line_length - 6, break_long_words=False, break_on_hyphens=False,
        )
        lazy = [f"        from {self.lazy_import[0]} import {self.lazy_import[1]}"] if self.lazy_import else []
        lines = [
            *(f"    # {line}" for line in comment),
            *_condition_lines(conditions, line_length),
            *lazy,
            f"        return {{{literal_repr(self.key)}: {self.factory}}}",
        ]
        hook = cst.parse_statement(f"def {LOOP_FACTORIES_HOOK_NAME}(config, item):\n" + "\n".join(lines) + "\n")
        assert isinstance(hook, cst.FunctionDef) and isinstance(hook.body, cst.IndentedBlock)
        return hook.body.body[0]

    def refusal(self, function: cst.FunctionDef) -> str | None:
        """Why the conftest.py's own hook cannot take the branch, or None."""
        if any(p.name.value == "item" for p in function.params.params):
            return None
        return (
            f"its {LOOP_FACTORIES_HOOK_NAME} hook does not take item, so it cannot tell these tests from the others: "
            f"give it an item parameter and return their loop type for them"
        )

    def new_function(self, above: str | None) -> tuple[str, Imports]:
        """A new hook, the branches to go on top of its body, and its imports. ``above``:
        where another hook answers for the other tests ("conftest" above, a "plugin"), if
        any; else asyncio's own loop does."""
        code = f"def {LOOP_FACTORIES_HOOK_NAME}(config, item):\n" + _fallback(above)
        return code, (() if above else (ASYNCIO_IMPORT,))

    def unplaced(self, asker: str, problem: str) -> str:
        """The note when the conftest.py (``problem`` says why) cannot take the branch."""
        return (
            f"the {self.fixture} fixture of {asker} gave its tests {loop_name(self.key)}, and "
            f"this conftest.py is where the hook that keeps that belongs; {problem}"
        )
