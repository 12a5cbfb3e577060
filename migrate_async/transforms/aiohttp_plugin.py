"""aiohttp-plugin: aiohttp's legacy pytest plugin → pytest-aiohttp on pytest-asyncio.

``pytest_plugins = "aiohttp.pytest_plugin"`` goes (the entry; the assignment when nothing
is left), the legacy plugin's deprecated fixture names are requested by their successors'
names (``pytest_model.aiohttp.RENAMES``), and what has no successor is reported. The tests
the legacy plugin ran are pytest-asyncio's afterwards: ``asyncio-marker`` marks them in strict
mode, and the requirement edits raise a declared pytest-aiohttp to a release built on
pytest-asyncio, or declare one next to the project's test requirements where it has none.
"""

from __future__ import annotations

import ast
import dataclasses
from dataclasses import dataclass

import libcst as cst

from ..cstkit.names import names_in, rename_reads, string_value
from ..project import FileFacts, ProjectFacts, project_root
from ..project.requirements import DEFAULT_DISTRIBUTION
from ..pytest_model import aiohttp, aiohttp_loop
from ..pytest_model.fixtures import fixture_decorator, requested_fixtures
from ..pytest_model.loading import ships_module
from ..pytest_model.providers import (
    GETFIXTUREVALUE,
    USEFIXTURES,
    ModuleFacts,
    cst_module_facts,
    module_facts,
)
from .examples import Example
from .glance import Glance
from .transform import Transform
from .triggers import Triggers

#: how a test or fixture requests a fixture by its name in a string
_BY_STRING = frozenset({USEFIXTURES, GETFIXTUREVALUE})
#: pytest-aiohttp is a test dependency: declared next to the plugin it is built on, or else
#: next to the test runner
_DECLARED_BESIDE = (DEFAULT_DISTRIBUTION, "pytest")
#: the note that says to declare pytest-aiohttp (withdrawn where the run declares it)
_DECLARE = "declare-pytest-aiohttp"


@dataclass(frozen=True)
class AiohttpSurvey:
    """What a conftest.py tells the files below it: whether it loads the legacy plugin, and
    which of the legacy fixture names it defines itself (the project's own fixtures)."""

    legacy: bool
    defines: frozenset[str]


EXAMPLES = (
    Example(
        title="a conftest.py that loads the legacy plugin: its entry goes, test_client takes its new name",
        path="conftest.py",
        before="""
            import pytest

            pytest_plugins = ("aiohttp.pytest_plugin", "tests.fixtures")


            @pytest.fixture
            def make_client(test_client, app, unused_port):
                return lambda: test_client(app, server_kwargs={"port": unused_port()})
            """,
        after="""
            import pytest

            pytest_plugins = ("tests.fixtures",)


            @pytest.fixture
            def make_client(aiohttp_client, app, unused_tcp_port_factory):
                return lambda: aiohttp_client(app, server_kwargs={"port": unused_tcp_port_factory()})
            """,
    ),
    Example(
        title="a test_client fixture of the project's own (a Flask app's) beside the legacy plugin stays",
        path="conftest.py",
        before="""
            import pytest

            pytest_plugins = "aiohttp.pytest_plugin"


            @pytest.fixture
            def test_client(flask_app):
                return flask_app.test_client()


            @pytest.fixture
            def logged_in(test_client):
                test_client.post("/login", data={"user": "admin"})
                return test_client
            """,
        after="""
            import pytest


            @pytest.fixture
            def test_client(flask_app):
                return flask_app.test_client()


            @pytest.fixture
            def logged_in(test_client):
                test_client.post("/login", data={"user": "admin"})
                return test_client
            """,
    ),
    Example(
        title="a suite already on pytest-aiohttp 1.x's names",
        before="""
            import pytest

            @pytest.mark.asyncio
            async def test_index(aiohttp_client, app):
                client = await aiohttp_client(app)
                assert (await client.get("/")).status == 200
            """,
    ),
)


class AiohttpPlugin(Transform):
    name = "aiohttp-plugin"
    summary = (
        "aiohttp's legacy pytest plugin → pytest-aiohttp: its pytest_plugins entry goes, "
        "test_client/test_server/raw_test_server/unused_port take their new names"
    )
    # The legacy names are common words of other suites (Flask's ``test_client``): the files
    # this transform works on are those its survey finds (they name the legacy plugin or
    # pytest-aiohttp 1.0's ``aiohttp_unused_port``, or lie below a conftest.py that loads the
    # plugin: runs_on_survey); the bytes it declares only add async aiohttp modules, so that it
    # widens no file's pre-filter.
    # surveyed: files that load the plugin, and conftest.py files and plugin modules that
    # may define fixtures of the legacy names (a plugin module need not say aiohttp)
    # (the survey finds something only where the legacy plugin, 1.0's alias or a legacy
    # fixture name is spelled: survey_any covers them all; in a test module only where the
    # legacy plugin or the alias is, both spelling aiohttp: survey_module_any;
    # tests/test_idle.py checks both)
    triggers = Triggers(
        all=(b"aiohttp", b"async"),
        survey=(b"pytest",),
        survey_any=(aiohttp.LEGACY_PLUGIN.encode(), *sorted(
            n for n in (m.encode() for m in aiohttp.RENAMES) if not any(o != n.decode() and o in n.decode() for o in aiohttp.RENAMES)
        )),
        survey_module_any=(b"aiohttp",),
    )
    runs_on_survey = True
    adopts = (aiohttp.LEGACY_PLUGIN,)

    @classmethod
    def triggers_for(cls, project: ProjectFacts) -> Triggers:
        """Where a declaration loads the legacy plugin everywhere (pytest-aiohttp 0.x), a file
        that requests one of its deprecated names needs the transform, async or not."""
        if not _autoloaded(project):
            return cls.triggers
        return dataclasses.replace(cls.triggers, all=(), any=(b"aiohttp", *(n.encode() for n in aiohttp.RENAMES)))
    migrates_fixtures = aiohttp_loop.REMOVED_IN_1_1
    examples = EXAMPLES

    # -- the survey: conftest.py files ---------------------------------------------------
    @classmethod
    def survey(cls, source: str, facts: FileFacts) -> AiohttpSurvey | None:
        """A file that loads the legacy plugin or requests 1.0's alias (it reaches that file,
        and a conftest.py's the files below it), or a conftest.py of an aiohttp suite that
        defines fixtures with the legacy names (the project's own)."""
        legacy = bool(_legacy_lines(source, facts.project))
        alias = "aiohttp_unused_port" in source
        if not facts.is_conftest or not any(name in source for name in aiohttp.RENAMES):
            return AiohttpSurvey(legacy, frozenset()) if legacy or alias else None
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            return None
        defines = _own(module_facts(tree))
        return AiohttpSurvey(legacy, defines) if legacy or alias or defines else None

    @classmethod
    def certainly_idle(cls, glance: Glance, facts: FileFacts) -> bool:
        """Idle when no ``pytest_plugins`` assignment is in the module (the only place the
        legacy plugin is removed from, and where this file would load it) and no name the
        transform would rename is requested here, by parameter or by string. Without the
        legacy plugin (in no conftest.py above, not loaded everywhere by a declaration) it
        renames only 1.0's alias; with it, every legacy name that no conftest.py above (nor
        the project's plugins) defines, and it notes the legacy names and options that have
        no successor (a parameter, a string holding ``--aiohttp-``)."""
        if "pytest_plugins" in glance.identifiers:
            return False
        above = facts.surveyed(cls.name)
        if any(not isinstance(found, AiohttpSurvey) for found in above):
            return False
        legacy = any(found.legacy for found in above) or _autoloaded(facts.project)
        own = set(facts.project.own_plugin_fixtures)
        for found in above:
            own |= found.defines
        if legacy:
            if not glance.identifiers.isdisjoint(_NO_SUCCESSOR_FIXTURES) or _spells_legacy_option(glance):
                return False
            renamed = aiohttp.RENAMES.keys() - own
        else:
            renamed = {_ALIAS} - own
        return glance.identifiers.isdisjoint(renamed) and glance.strings.isdisjoint(renamed)

    def __init__(self, context=None) -> None:
        super().__init__(context)
        self._renames: dict[str, str] = {}
        self._legacy = False
        self._async_depth: list[bool] = []
        self._factories: frozenset[str] = frozenset()

    # -- what to look at -----------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> bool:
        self._renames = {}
        self._async_depth = []
        # plain functions of the module (a fixture is requested by parameter, never passed)
        self._factories = frozenset(s.name.value for s in node.body if isinstance(s, cst.FunctionDef) and not s.decorators)
        if self.runs_other_framework():
            return False
        above = [found for found in self.facts.surveyed(self.name) if isinstance(found, AiohttpSurvey)]
        here = _legacy_lines(self.source, self.project)
        self._legacy = bool(here) or any(found.legacy for found in above) or _autoloaded(self.project)
        own = set(_own(cst_module_facts(node))) | self.project.own_plugin_fixtures
        for found in above:
            own |= found.defines
        declared = bool(self.project.companions or self.project.plugin_shown)
        self._renames = {
            old: new
            for old, new in aiohttp.RENAMES.items()
            if old not in own and (self._legacy or (old == _ALIAS and declared))
        }
        return bool(self._renames) or self._legacy

    # -- pytest_plugins ------------------------------------------------------------------
    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        body = []
        changed = False
        for statement in updated_node.body:
            kept = self._without_legacy_plugin(statement)
            changed = changed or kept is not statement
            if kept is not None:
                body.append(kept)
        return updated_node.with_changes(body=body) if changed else updated_node

    def _without_legacy_plugin(self, statement: cst.BaseStatement) -> cst.BaseStatement | None:
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return statement
        small = statement.body[0]
        if isinstance(small, cst.Assign):
            if len(small.targets) != 1 or not _is_plugins_name(small.targets[0].target):
                return statement
        elif isinstance(small, cst.AnnAssign):
            if not _is_plugins_name(small.target) or small.value is None:
                return statement
        else:
            return statement
        value = small.value
        if _is_legacy_entry(value):
            self._said_removed(statement)
            return None
        if not isinstance(value, (cst.List, cst.Tuple)):
            return statement
        kept = [element for element in value.elements if not _is_legacy_entry(element.value)]
        if len(kept) == len(value.elements):
            return statement
        self._said_removed(statement)
        if not kept:
            return None
        last = value.elements[-1].comma
        kept[-1] = kept[-1].with_changes(comma=last)
        if isinstance(value, cst.Tuple) and len(kept) == 1 and kept[0].comma is cst.MaybeSentinel.DEFAULT:
            kept[0] = kept[0].with_changes(comma=cst.Comma())
        return statement.with_changes(body=[small.with_changes(value=value.with_changes(elements=kept))])

    def _said_removed(self, statement: cst.BaseStatement) -> None:
        self.count_edit()
        if not any(not d.constrains_only for d in self.project.companions):
            # declared by the engine next to the project's test requirements; where it finds
            # no place to, this note says what to add
            self.note(
                statement,
                f"aiohttp's legacy plugin is gone from pytest_plugins: declare {aiohttp.DISTRIBUTION}>="
                f"{aiohttp.FLOOR} with the project's test dependencies (it provides aiohttp_client, "
                "aiohttp_server and aiohttp_raw_server on pytest-asyncio)",
                kind=_DECLARE,
            )
            self.request_requirement(aiohttp.DISTRIBUTION, str(aiohttp.FLOOR), _DECLARED_BESIDE, _DECLARE)
        for arg in self.project.config.get_list("addopts") or []:
            option = arg.split("=", 1)[0]
            if option in aiohttp.NO_SUCCESSOR:
                self.note(statement, f"addopts has {arg}: remove it, pytest stops at an unknown option. "
                          + aiohttp.NO_SUCCESSOR[option], kind="aiohttp-option", left=True)

    # -- requests of the legacy fixtures -------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self._async_depth.append(node.asynchronous is not None)
        return True

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        self._async_depth.pop()
        if not self._requests_fixtures(original_node):
            return updated_node
        requested = requested_fixtures(original_node.params)
        if self._legacy:
            for name in requested:
                if name in aiohttp.NO_SUCCESSOR and name not in aiohttp.RENAMES:
                    self.note(original_node, aiohttp.NO_SUCCESSOR[name], kind="aiohttp-fixture", left=True)
        for old in requested:
            new = self._renames.get(old)
            if new is None:
                continue
            if new == aiohttp.CLIENT_FIXTURE:
                for call in _factory_calls(updated_node.body, old, self._factories - set(requested)):
                    self.note(call, aiohttp.APP_FACTORY_GONE, kind="aiohttp-app-factory", left=True)
            if new in requested or new in names_in(updated_node.body):
                self.note(original_node, f"'{old}' is not renamed to '{new}': the function already uses that name",
                          kind="aiohttp-rename-clash", left=True)
                continue
            updated_node = updated_node.with_changes(
                params=_renamed_param(updated_node.params, old, new),
                body=rename_reads(updated_node.body, old, new),
            )
            self.count_edit()
        return updated_node

    def _requests_fixtures(self, node: cst.FunctionDef) -> bool:
        return self.project.is_test_function_name(node.name.value) or fixture_decorator(node, self.imports) is not None

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = original_node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in _BY_STRING:
            return updated_node
        args = list(updated_node.args)
        changed = False
        for index, arg in enumerate(args):
            if arg.keyword is not None or not isinstance(arg.value, cst.SimpleString):
                continue
            new = self._renames.get(string_value(arg.value) or "")
            if new is None:
                continue
            if func.attr.value == GETFIXTUREVALUE and new in aiohttp.ASYNC_FIXTURES and any(self._async_depth):
                self.note(original_node, f"getfixturevalue('{new}') cannot set up an async fixture inside an async "
                          f"test under pytest-asyncio: request '{new}' as a parameter instead",
                          kind="aiohttp-getfixturevalue", left=True)
                continue
            quote = arg.value.quote
            args[index] = arg.with_changes(value=arg.value.with_changes(value=f"{arg.value.prefix}{quote}{new}{quote}"))
            changed = True
            self.count_edit()
        return updated_node.with_changes(args=args) if changed else updated_node

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if not self._legacy:
            return
        text = string_value(node) or ""
        option = text.split("=", 1)[0]
        if option.startswith("--aiohttp-") and option in aiohttp.NO_SUCCESSOR:
            self.note(node, aiohttp.NO_SUCCESSOR[option], kind="aiohttp-option", left=True)


#: 1.0's alias, the one name renamed without the legacy plugin (in a project declaring
#: pytest-aiohttp)
_ALIAS = "aiohttp_unused_port"
#: the legacy fixtures with no successor: a test or fixture requesting one gets a note
_NO_SUCCESSOR_FIXTURES = frozenset(name for name in aiohttp.NO_SUCCESSOR if name.isidentifier()) - aiohttp.RENAMES.keys()
#: how each of the legacy plugin's options that visit_SimpleString reports begins
_LEGACY_OPTION = "--aiohttp-"


def _spells_legacy_option(glance: Glance) -> bool:
    """Whether a string of the module may hold one of the legacy plugin's options (the
    parts of an implicit concatenation are one constant for ``ast``: any place counts)."""
    return any(
        isinstance(node, ast.Constant) and isinstance(node.value, str) and _LEGACY_OPTION in node.value
        for node in ast.walk(glance.tree)
    )


def _is_plugins_name(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "pytest_plugins"


def _is_legacy_entry(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.SimpleString) and aiohttp.is_legacy_plugin(string_value(node) or "")


def _renamed_param(params: cst.Parameters, old: str, new: str) -> cst.Parameters:
    def renamed(group):
        return [p.with_changes(name=cst.Name(new)) if p.name.value == old else p for p in group]

    return params.with_changes(params=renamed(params.params), kwonly_params=renamed(params.kwonly_params))


class _FactoryCalls(cst.CSTVisitor):
    def __init__(self, name: str, factories: frozenset[str]) -> None:
        self.name = name
        self.factories = factories
        self.found: list[cst.Call] = []

    def visit_Call(self, node: cst.Call) -> None:
        if not (isinstance(node.func, cst.Name) and node.func.value == self.name and node.args):
            return
        first = node.args[0]
        value = first.value
        if first.keyword is None and not first.star and (
            isinstance(value, cst.Lambda) or (isinstance(value, cst.Name) and value.value in self.factories)
        ):
            self.found.append(node)


def _factory_calls(body: cst.BaseSuite, name: str, factories: frozenset[str]) -> list[cst.Call]:
    """The calls ``name(f, ...)`` in ``body`` whose first argument is a function of the module
    or a lambda: an app factory, which aiohttp's legacy plugin called with the loop."""
    visitor = _FactoryCalls(name, factories)
    body.visit(visitor)
    return visitor.found


def _own(facts: ModuleFacts) -> frozenset[str]:
    """The legacy fixture names a module provides itself, as pytest registers them (a
    function's name or its ``name=``, an import, at module level or in a class)."""
    return frozenset(name for name in aiohttp.RENAMES if facts.defines_anywhere(name))


def _legacy_lines(source: str, project: ProjectFacts) -> list[int]:
    """The lines of the module's ``pytest_plugins`` entries that load aiohttp's legacy plugin;
    none in a project that ships that module itself (aiohttp's own suite tests it)."""
    if aiohttp.LEGACY_PLUGIN not in source or ships_module(aiohttp.LEGACY_PLUGIN, project_root(project)):
        return []
    return aiohttp.legacy_plugin_lines(source.encode())


def _autoloaded(project: ProjectFacts) -> bool:
    """The project's declaration loads the legacy plugin everywhere (pytest-aiohttp 0.x), and
    the project does not ship it itself."""
    return aiohttp.LEGACY_PLUGIN in project.autoloaded_runners and not ships_module(
        aiohttp.LEGACY_PLUGIN, project_root(project)
    )
