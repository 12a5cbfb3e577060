"""The check of the planned result (engine/plan_check.py): before anything is written, every
import of a name an edit removed still resolves and every fixture the project provided, or
pytest-asyncio 0.x's ``event_loop``, is still provided where it is requested. What an edit
breaks is withdrawn, what is left is a ``left`` note, and ``check`` exits 1 on it."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import libcst as cst
import pytest
from typer.testing import CliRunner

from migrate_async.cli import app
from migrate_async.engine import RunOptions, run
from migrate_async.goldens import BEFORE_ROOT
from migrate_async.project import ProjectFacts
from migrate_async.pytest_model.providers import (
    Request,
    conftest_chain,
    cst_module_facts,
    fixture_requests,
    lost_names,
    module_facts,
    provided,
)
from migrate_async.transforms import BY_NAME, REGISTRY

DEFAULT = [t for t in REGISTRY if t.default]

OVERRIDE = textwrap.dedent(
    """\
    import asyncio

    import pytest


    @pytest.fixture(scope="session")
    def event_loop():
        loop = asyncio.new_event_loop()
        yield loop
        loop.close()
    """
)

ASYNC_TEST = textwrap.dedent(
    """\
    import asyncio

    import pytest


    @pytest.mark.asyncio
    async def test_sleep():
        await asyncio.sleep(0)
    """
)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _project(root: Path, files: dict[str, str], pin: str = "0.21.1", ini: str = "asyncio_mode = strict\n") -> None:
    (root / "pytest.ini").write_text("[pytest]\n" + ini)
    (root / "requirements.txt").write_text(f"pytest-asyncio=={pin}\n")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _check(*args: str) -> tuple[int, str]:
    outcome = CliRunner().invoke(app, ["check", *args])
    return outcome.exit_code, outcome.output


# -- withdrawal ----------------------------------------------------------------------------


@pytest.mark.parametrize("importer", ["tools/loops.py", "tests/test_kept.py"])
def test_a_module_whose_edit_removes_an_imported_name_is_withdrawn(root: Path, importer: str) -> None:
    # event-loop-fixture removes the override from tests/conftest.py; a module the run does
    # not rewrite (not test code, or kept as it is by a skip comment) imports it from there:
    # the removal would make that import fail, so the conftest.py is left as it is
    kept = "# migrate-async: skip-file\n" if importer.startswith("tests/") else ""
    _project(root, {
        "tests/__init__.py": "",
        "tests/conftest.py": OVERRIDE,
        "tests/test_a.py": ASYNC_TEST,
        importer: f"{kept}from tests.conftest import event_loop\n\n__all__ = [\"event_loop\"]\n",
    })
    # the check says the migration would be unfinished, though that file would not change
    code, output = _check(".")
    assert code == 1 and "would change: tests/conftest.py" not in output
    result = run([Path(".")], RunOptions(transforms=DEFAULT, target=None, write=True))
    assert (root / "tests" / "conftest.py").read_text() == OVERRIDE
    assert "tests/conftest.py" not in result.changed_files
    [note] = [n for n in result.all_notes if n.kind == "withdrawn-edit"]
    assert (note.path, note.line, note.left) == (importer, 2 if kept else 1, True)
    assert "tests/conftest.py" in note.message and "withdrawn" in note.message
    # what the withdrawn file asked of the configuration went with it: no session loop scope
    assert "session" not in (root / "pytest.ini").read_text()


@pytest.mark.parametrize("how", ["exclude", "named"])
def test_an_importer_the_run_does_not_look_at_still_counts(root: Path, how: str) -> None:
    # tests/test_b.py imports the override from tests/conftest.py; it is excluded, or the
    # run names only the conftest.py: the removal would still break it, so it is withdrawn
    _project(root, {
        "tests/__init__.py": "",
        "tests/conftest.py": OVERRIDE,
        "tests/test_a.py": ASYNC_TEST,
        "tests/test_b.py": "from tests.conftest import event_loop\n\n\ndef test_b():\n    assert event_loop\n",
    })
    paths, extra = ([Path(".")], ["tests/test_b.py"]) if how == "exclude" else ([Path("tests/conftest.py")], [])
    result = run(paths, RunOptions(transforms=DEFAULT, target=None, write=True, exclude=extra))
    assert (root / "tests" / "conftest.py").read_text() == OVERRIDE
    [note] = [n for n in result.all_notes if n.kind == "withdrawn-edit"]
    assert (note.path, note.line, note.left) == ("tests/test_b.py", 1, True)


def test_an_importer_that_cannot_be_written_keeps_what_it_imports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the run drops event_loop from pkg/test_utils.py and from every test module's import of
    # it; tests/test_steps.py cannot be written: its import stays, so the helper's removal is
    # withdrawn before anything is written (never half a migration after a failed write)
    import shutil

    from migrate_async.engine import writes
    from migrate_async.goldens import BEFORE_ROOT

    shutil.copytree(BEFORE_ROOT / "all" / "helper_fixture_imported_by_tests", tmp_path / "p")
    monkeypatch.chdir(tmp_path / "p")
    helper = (tmp_path / "p" / "pkg" / "test_utils.py").read_text()
    real = writes.cannot_write
    monkeypatch.setattr(
        writes, "cannot_write",
        lambda outcome: "tests/test_steps.py: Permission denied" if outcome.path.endswith("test_steps.py") else real(outcome),
    )
    result = run([Path(".")], RunOptions(transforms=DEFAULT, target=None, write=True))
    assert (tmp_path / "p" / "pkg" / "test_utils.py").read_text() == helper
    assert result.all_errors == ["tests/test_steps.py: Permission denied"]
    assert ("tests/test_steps.py", "withdrawn-edit") in [(n.path, n.kind) for n in result.all_notes if n.left]


def test_without_the_importer_the_removal_stands(root: Path) -> None:
    _project(root, {"tests/__init__.py": "", "tests/conftest.py": OVERRIDE, "tests/test_a.py": ASYNC_TEST})
    result = run([Path(".")], RunOptions(transforms=DEFAULT, target=None))
    assert "tests/conftest.py" in result.changed_files
    assert [n for n in result.all_notes if n.left] == []


def test_a_fixture_of_the_project_an_edit_removes_is_restored_for_its_requests(root: Path, monkeypatch) -> None:
    # a transform that drops a fixture other modules still request: the check withdraws it
    from migrate_async.engine import process as process_module
    from migrate_async.engine import source

    real = source.migrate_tree

    def dropping(module, text, facts, transforms, notes_against="original", **options):
        result = real(module, text, facts, transforms, notes_against, **options)
        if str(facts.path).endswith("conftest.py"):
            tree = cst.parse_module(result.code)
            body = [s for s in tree.body if not (isinstance(s, cst.FunctionDef) and s.name.value == "server")]
            result.tree = tree.with_changes(body=body)
            result.code = result.tree.code
            result.edits["asyncio-sleep"] = 1
        return result

    monkeypatch.setattr(process_module, "migrate_tree", dropping)
    conftest = (
        "import time\n\nimport pytest\n\n\n@pytest.fixture\ndef server():\n    return 1\n\n\n"
        "async def pause():\n    time.sleep(0)\n"
    )
    _project(root, {
        "tests/conftest.py": conftest,
        "tests/test_a.py": "def test_server(server):\n    assert server == 1\n\n\ndef test_tmp(tmp_path):\n    assert tmp_path\n",
    })
    result = run([Path(".")], RunOptions(transforms=DEFAULT, target=None, write=True))
    assert (root / "tests" / "conftest.py").read_text() == conftest
    [note] = [n for n in result.all_notes if n.kind == "withdrawn-edit"]
    assert (note.path, note.line, note.left) == ("tests/test_a.py", 1, True)
    assert "server" in note.message and "tests/conftest.py" in note.message


# -- what is left --------------------------------------------------------------------------

LEFT = textwrap.dedent(
    """\
    import pytest_asyncio


    @pytest_asyncio.fixture
    def debug_loop(event_loop):
        event_loop.set_debug(True)
        yield
        event_loop.set_debug(False)


    def test_looks_it_up(request):
        loop = request.getfixturevalue("event_loop")
        assert loop is not None
    """
)


def test_a_request_left_makes_check_fail_with_no_file_changed(root: Path) -> None:
    _project(root, {"tests/test_legacy.py": LEFT}, pin="1.5.0", ini="asyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    result = run([Path(".")], RunOptions(transforms=DEFAULT, target=None))
    assert result.changed_files == []
    left = [(n.line, n.kind) for n in result.all_notes if n.left]
    assert left == [(5, "unprovided-fixture"), (12, "unprovided-fixture")]
    code, output = _check(".")
    assert code == 1 and "0 files would change" in output


HELPER_IMPORTING_THE_OLD_FIXTURE = (
    "from pytest_asyncio.plugin import event_loop, unused_tcp_port\n\n__all__ = [\"event_loop\", \"unused_tcp_port\"]\n"
)


def test_an_import_of_the_old_fixture_from_the_plugin_is_completed(root: Path) -> None:
    _project(root, {"tests/helpers.py": HELPER_IMPORTING_THE_OLD_FIXTURE, "tests/test_a.py": ASYNC_TEST})
    result = run([Path(".")], RunOptions(transforms=DEFAULT, target=None, write=True))
    assert [n for n in result.all_notes if n.kind == "gone-import"] == []
    assert (root / "tests" / "helpers.py").read_text() == (
        "from pytest_asyncio.plugin import unused_tcp_port\n\n__all__ = [\"unused_tcp_port\"]\n"
    )


def test_an_import_of_the_old_fixture_from_the_plugin_that_stays_is_left(root: Path) -> None:
    helper = "# migrate-async: skip-file\n" + HELPER_IMPORTING_THE_OLD_FIXTURE
    _project(root, {"tests/helpers.py": helper, "tests/test_a.py": ASYNC_TEST})
    result = run([Path(".")], RunOptions(transforms=DEFAULT, target=None))
    [note] = [n for n in result.all_notes if n.kind == "gone-import"]
    assert (note.path, note.line, note.left) == ("tests/helpers.py", 2, True)
    assert "pytest_asyncio.plugin" in note.message


def test_a_project_that_needs_nothing_passes_the_check(root: Path) -> None:
    _project(root, {"tests/test_a.py": ASYNC_TEST}, pin="1.5.0", ini="asyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    result = run([Path(".")], RunOptions(transforms=DEFAULT, target=None))
    assert result.changed_files == [] and result.all_notes == []
    assert _check(".")[0] == 0


def test_fixtures_of_other_plugins_are_never_flagged(root: Path) -> None:
    text = textwrap.dedent(
        """\
        import pytest


        @pytest.fixture
        def app(aiohttp_client, unused_tcp_port):
            return aiohttp_client, unused_tcp_port


        @pytest.mark.usefixtures("mocker")
        def test_app(app, request):
            assert request.getfixturevalue("caplog") is not None
        """
    )
    _project(root, {"tests/test_a.py": text, "tests/conftest.py": OVERRIDE})
    result = run([Path(".")], RunOptions(transforms=DEFAULT, target=None))
    assert [n for n in result.all_notes if n.left] == []


def test_a_project_defining_its_own_event_loop_on_1x_gets_no_note(root: Path) -> None:
    own = OVERRIDE.replace('(scope="session")', "")
    test = "def test_sync(event_loop):\n    assert event_loop.run_until_complete(_one()) == 1\n\n\nasync def _one():\n    return 1\n"
    _project(root, {"conftest.py": own, "tests/test_a.py": test}, pin="1.5.0", ini="asyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    result = run([Path(".")], RunOptions(transforms=DEFAULT, target=None))
    assert result.all_notes == [] and result.changed_files == []
    assert _check(".")[0] == 0


# -- the pytest model's answers ------------------------------------------------------------


def _request(name: str, class_name: str | None = None, by_fixture: bool = False) -> Request:
    return Request(name, 1, 1, (1, 1), "a parameter of test_x", class_name, by_fixture)


def test_who_provides_a_fixture() -> None:
    module = module_facts(ast.parse(textwrap.dedent(
        """\
        import pytest
        from helpers import server as srv

        try:
            from loops import loop
        except ImportError:
            loop = None


        class Base:
            @pytest.fixture(name="client")
            def make_client(self):
                return 1


        class TestA(Base):
            pass


        class TestB:
            pass
        """
    )))
    assert provided(_request("srv"), module, []) and provided(_request("loop"), module, [])
    assert provided(_request("client", "TestA"), module, []) and not provided(_request("client", "TestB"), module, [])
    assert not provided(_request("client"), module, [])
    conftest = module_facts(ast.parse("import pytest\n\n\n@pytest.fixture\ndef db():\n    return 1\n"))
    assert provided(_request("db"), module, [conftest]) and not provided(_request("db2"), module, [conftest])
    # a fixture's request may be met below it, for the tests there
    assert provided(_request("db", by_fixture=True), module, [], [conftest])
    assert not provided(_request("db"), module, [], [conftest])
    star = module_facts(ast.parse("from fixtures import *\n"))
    assert provided(_request("anything"), star, [])


def test_the_cst_reading_of_a_module_agrees_with_the_ast_one() -> None:
    # every golden before-file: the two readings of what a module binds are the same
    for path in sorted(BEFORE_ROOT.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert cst_module_facts(cst.parse_module(text)) == module_facts(ast.parse(text)), path


def test_lost_names() -> None:
    before = module_facts(ast.parse("import pytest\n\n\n@pytest.fixture(name='loop')\ndef make():\n    pass\n\n\ndef helper():\n    pass\n"))
    after = module_facts(ast.parse("import pytest\n\n\ndef helper():\n    pass\n"))
    assert lost_names(before, after) == {"loop", "make"}
    # a name it only imported is not taken to be exported, unless asked
    assert lost_names(before, module_facts(ast.parse("def make():\n    pass\n"))) == {"loop", "helper"}
    assert lost_names(before, module_facts(ast.parse("def make():\n    pass\n")), ["pytest"]) == {"loop", "helper", "pytest"}
    assert lost_names(before, module_facts(ast.parse("from x import *\n"))) == frozenset()


def test_requests_by_marks_and_lookups_are_found() -> None:
    code = textwrap.dedent(
        """\
        import pytest

        pytestmark = pytest.mark.usefixtures("db")


        class TestA:
            @pytest.fixture
            def client(self, db):
                return db

            def test_b(self, client, request):
                request.getfixturevalue("db")


        def helper(db):
            return db
        """
    )
    found = fixture_requests(ast.parse(code), ["db"], ProjectFacts())
    assert [(r.line, r.how, r.class_name, r.by_fixture) for r in found] == [
        (3, "usefixtures", None, False),
        (8, "a parameter of client", "TestA", True),
        (12, "getfixturevalue", "TestA", False),
    ]


def test_the_conftest_chain_stops_at_the_root(tmp_path: Path) -> None:
    chain = conftest_chain(tmp_path / "a" / "b" / "test_x.py", tmp_path / "a")
    assert chain == [tmp_path / "a" / "b" / "conftest.py", tmp_path / "a" / "conftest.py"]


ON_1X = "asyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n"


def test_a_fixture_of_a_base_class_from_another_module_is_taken_to_be_provided(root: Path) -> None:
    base = "import asyncio\n\nimport pytest\n\n\nclass LoopBase:\n    @pytest.fixture\n    def event_loop(self):\n        yield asyncio.new_event_loop()\n"
    tests = "from tests import base\n\n\nclass TestThing(base.LoopBase):\n    def test_sync(self, event_loop):\n        assert not event_loop.is_running()\n"
    _project(root, {"tests/__init__.py": "", "tests/base.py": base, "tests/test_cls.py": tests}, pin="1.5.0", ini=ON_1X)
    assert _check(".", "--select", "event-loop-argument")[0] == 0


def test_a_plugin_module_serves_its_own_project_only(root: Path) -> None:
    loop = "import asyncio\n\nimport pytest\n\n\n@pytest.fixture\ndef event_loop():\n    yield asyncio.new_event_loop()\n"
    for name in ("a", "b"):
        (root / name).mkdir()
        _project(root / name, {"tests/__init__.py": ""}, pin="1.5.0", ini=ON_1X)
    _project(root / "a", {"tests/test_a.py": "def test_a(event_loop):\n    assert event_loop\n"}, pin="1.5.0", ini=ON_1X)
    _project(root / "b", {
        "tests/loopfix.py": loop,
        "tests/conftest.py": 'pytest_plugins = ["tests.loopfix"]\n',
        "tests/test_b.py": "def test_b(event_loop):\n    assert event_loop\n",
    }, pin="1.5.0", ini=ON_1X)
    code, output = _check("a", "b", "--select", "event-loop-argument")
    assert code == 1 and "a/tests/test_a.py" in output and "test_b.py" not in output


def test_a_note_about_something_else_in_the_test_does_not_hide_an_unprovided_request(root: Path) -> None:
    # get-running-loop's note on the same test speaks of get_event_loop(), not of the
    # event_loop fixture nothing provides: both are said
    tests = "import asyncio\n\n\ndef test_s(event_loop):\n    current = asyncio.get_event_loop()\n    assert current is event_loop\n"
    _project(root, {"tests/test_n.py": tests}, pin="1.5.0", ini=ON_1X)
    result = run([Path(".")], RunOptions(transforms=[BY_NAME["event-loop-argument"], BY_NAME["get-running-loop"]], target=None))
    assert sorted((n.kind, n.line) for n in result.all_notes) == [
        ("get-event-loop-in-sync-code", 5), ("unprovided-fixture", 4)
    ]


@pytest.mark.parametrize(("plugin", "flagged"), [("acme_testkit.fixtures", False), ("pytester", True)])
def test_a_plugin_from_outside_the_project_may_provide_the_loop(root: Path, plugin: str, flagged: bool) -> None:
    # conftest.py loads an installed test kit, which may define event_loop: its requests are
    # not flagged (a false alarm is worse than a miss); a plugin known to define none is no reason
    _project(root, {
        "tests/conftest.py": f'pytest_plugins = ["{plugin}"]\n',
        "tests/test_a.py": "def test_a(event_loop):\n    assert event_loop\n",
    }, pin="1.5.0", ini=ON_1X)
    code, output = _check(".", "--select", "event-loop-argument")
    assert (code == 1) is flagged and ("unprovided-fixture" in output) is flagged


# -- which texts are read ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("def test(event_loop): pass", True),
        ("event_loop", True),
        ("from pytest_asyncio.plugin import (\n    event_loop,\n)", True),
        ('@pytest.mark.usefixtures("event_loop")', True),
        ("loop = asyncio.get_event_loop()", False),
        ("asyncio.new_event_loop(); asyncio.set_event_loop(None)", False),
        ("my_event_loops = []", False),
        ("get_event_loop(); x = event_loop", True),  # (a later whole word still counts)
        ("", False),
        ("résumé = éevent_loop", False),  # (é is a letter of an identifier)
        ("résumé = event_loop", True),
    ],
)
def test_a_name_counts_only_as_a_word_of_its_own(text: str, held: bool) -> None:
    from migrate_async.transforms.triggers import has_word

    assert has_word(text, "event_loop") is held
    assert has_word(text.encode(), b"event_loop") is (held or not text.isascii())  # (bytes: a byte past ASCII is no letter)


def test_a_gone_import_is_found_beside_a_longer_name_holding_its_letters(root: Path) -> None:
    _project(root, {
        "tests/test_a.py": ASYNC_TEST,
        "tools/loops.py": "import asyncio\nfrom pytest_asyncio.plugin import event_loop\n\nLOOP = asyncio.get_event_loop\n",
        "tools/other.py": "import asyncio\n\nLOOP = asyncio.get_event_loop\n",
    }, pin="1.5.0")
    code, output = _check(".")
    assert "tools/loops.py:2:" in output
    assert "tools/other.py" not in output
