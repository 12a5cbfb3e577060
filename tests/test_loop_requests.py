"""No silent misses: what still requests ``event_loop`` after the run, where nothing defines
it, is reported file:line (the check of the planned result, engine/plan_check.py, which asks
pytest_model.providers who provides it; event-loop-argument migrates the fixture and gives
the notes its name)."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from migrate_async.engine import RunOptions, run
from migrate_async.transforms import BY_NAME, REGISTRY

LEGACY = textwrap.dedent(
    """\
    import pytest
    import pytest_asyncio


    @pytest_asyncio.fixture
    def debug_loop(event_loop):
        event_loop.set_debug(True)
        yield
        event_loop.set_debug(False)


    @pytest.mark.usefixtures("event_loop")
    def test_uses_the_fixture():
        pass


    def test_looks_it_up(request):
        loop = request.getfixturevalue("event_loop")
        assert loop is not None
    """
)


def _notes(root: Path, text: str, *, conftest: str | None = None, pin: str = "0.21.1") -> list[str]:
    (root / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    (root / "requirements.txt").write_text(f"pytest-asyncio=={pin}\n")
    (root / "tests").mkdir()
    (root / "tests" / "test_legacy.py").write_text(text)
    if conftest is not None:
        (root / "conftest.py").write_text(conftest)
    result = run([Path(".")], RunOptions(transforms=[t for t in REGISTRY if t.default], target=None))
    return [n.format() for n in result.all_notes if "still requests the event_loop" in n.message]


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_each_request_left_unmet_is_reported_where_it_is(root: Path) -> None:
    notes = _notes(root, LEGACY)
    where = [n.split(": event-loop-argument:")[0] for n in notes]
    assert where == ["tests/test_legacy.py:6:16", "tests/test_legacy.py:12:2", "tests/test_legacy.py:18:12"]
    assert "a parameter of debug_loop" in notes[0] and "usefixtures" in notes[1] and "getfixturevalue" in notes[2]


OWN_LOOP = "import asyncio\n\nimport pytest\n\n\n@pytest.fixture\ndef event_loop():\n    loop = asyncio.new_event_loop()\n    yield loop\n    loop.close()\n"


def test_a_project_fixture_above_the_tests_meets_them(root: Path) -> None:
    # on pytest-asyncio 1.x this is the project's own fixture: it stays, and it meets them
    assert _notes(root, LEGACY, conftest=OWN_LOOP, pin="1.2.0") == []


def test_an_override_the_run_removes_no_longer_meets_them(root: Path) -> None:
    # on 0.21 the same fixture is an override event-loop-fixture removes: then they are unmet
    assert len(_notes(root, LEGACY, conftest=OWN_LOOP)) == 3


def test_a_module_that_defines_or_imports_it_is_not_reported(root: Path) -> None:
    assert _notes(root, "from helpers import event_loop\n" + LEGACY) == []


def test_a_helper_that_takes_the_loop_is_not_a_request(root: Path) -> None:
    helper = "import asyncio\n\n\ndef run(event_loop, coro):\n    return event_loop.run_until_complete(coro)\n\n\ndef test_plain():\n    assert run(asyncio.new_event_loop(), asyncio.sleep(0, 1)) == 1\n"
    assert _notes(root, helper) == []


# -- a sync test that reaches asyncio.get_event_loop() through a helper of the project -------

UTILS = textwrap.dedent(
    """\
    import asyncio


    def current_loop():
        try:
            return asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.get_event_loop()


    def safe_loop():
        try:
            return asyncio.get_event_loop()
        except RuntimeError:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            return loop


    def fresh_loop():
        asyncio.set_event_loop(asyncio.new_event_loop())
        return asyncio.get_event_loop()
    """
)

HELPED = textwrap.dedent(
    """\
    import asyncio

    from tests import utils
    from tests.utils import current_loop, fresh_loop, safe_loop


    async def test_async_first():
        await asyncio.sleep(0)


    def test_sync_after():
        loop = current_loop()
        assert loop.run_until_complete(asyncio.sleep(0, 1)) == 1
        assert current_loop() is loop


    def test_safe():
        assert safe_loop() is not None
        assert fresh_loop() is not None


    class TestGroup:
        def test_in_class(self):
            assert utils.current_loop() is not None

        def helper(self):
            return current_loop()
    """
)


def _helper_notes(root: Path, pin: str) -> list[str]:
    (root / "pytest.ini").write_text("[pytest]\nasyncio_mode = auto\n")
    (root / "requirements.txt").write_text(f"pytest-asyncio=={pin}\n")
    (root / "tests").mkdir()
    (root / "tests" / "__init__.py").write_text("")
    (root / "tests" / "utils.py").write_text(UTILS)
    (root / "tests" / "test_helped.py").write_text(HELPED)
    result = run([Path(".")], RunOptions(transforms=[t for t in REGISTRY if t.default], target=None))
    return [n.format() for n in result.all_notes if "reaches asyncio.get_event_loop() through" in n.message]


def test_a_sync_test_reaching_get_event_loop_through_a_helper_is_reported(root: Path) -> None:
    notes = _helper_notes(root, "1.4.0")
    # once per test and helper; the helper that falls back to a new loop, and a method
    # that is not a test, are not reported
    assert [n.split(": get-running-loop:")[0] for n in notes] == ["tests/test_helped.py:12:12", "tests/test_helped.py:24:16"]
    assert "through current_loop() (tests/utils.py:4)" in notes[0]
    assert "through utils.current_loop() (tests/utils.py:4)" in notes[1]


def test_before_1_4_a_loop_is_left_current(root: Path) -> None:
    assert _helper_notes(root, "1.2.0") == []


def test_a_class_of_its_own_event_loop_covers_only_itself(root: Path) -> None:
    text = (
        "import asyncio\n\nimport pytest\n\n\nclass TestOwn:\n    @pytest.fixture\n    def event_loop(self):\n"
        "        loop = asyncio.new_event_loop()\n        yield loop\n        loop.close()\n\n"
        '    def test_in(self, request):\n        assert request.getfixturevalue("event_loop")\n\n\n'
        'def test_out(request):\n    assert request.getfixturevalue("event_loop")\n'
    )
    notes = _notes(root, text, pin="1.2.0")
    assert [n.split(": event-loop-argument:")[0] for n in notes] == ["tests/test_legacy.py:18:12"]


def test_a_plugin_named_with_p_in_addopts_meets_them(root: Path) -> None:
    (root / "tests").mkdir()
    (root / "tests" / "__init__.py").write_text("")
    (root / "tests" / "loops.py").write_text(OWN_LOOP)
    (root / "tests" / "test_a.py").write_text(LEGACY)
    (root / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\naddopts = -p tests.loops\n")
    (root / "requirements.txt").write_text("pytest-asyncio==1.2.0\n")
    result = run([Path(".")], RunOptions(transforms=[t for t in REGISTRY if t.default], target=None))
    assert [n for n in result.all_notes if "still requests the event_loop" in n.message] == []


def test_a_parameter_pytest_fills_otherwise_is_no_request(tmp_path: Path) -> None:
    # a default and the test's own parametrize give event_loop its value; no fixture is asked
    from migrate_async.project import ProjectFacts
    from migrate_async.pytest_model.event_loop import FIXTURE_NAME
    from migrate_async.pytest_model.providers import fixture_requests

    code = textwrap.dedent(
        """\
        import pytest


        def test_defaults(event_loop=None):
            assert event_loop is None


        @pytest.mark.parametrize("event_loop", ["a", "b"])
        def test_labels(event_loop):
            assert event_loop in "ab"


        def test_requests(event_loop):
            assert event_loop is not None
        """
    )
    found = fixture_requests(ast.parse(code), [FIXTURE_NAME], ProjectFacts())
    assert [r.how for r in found] == ["a parameter of test_requests"]


def test_an_indirect_parametrize_still_requests_the_fixture() -> None:
    from migrate_async.project import ProjectFacts
    from migrate_async.pytest_model.event_loop import FIXTURE_NAME
    from migrate_async.pytest_model.providers import fixture_requests

    code = textwrap.dedent(
        """\
        import pytest


        @pytest.mark.parametrize("event_loop", ["a"], indirect=True)
        def test_indirect(event_loop):
            pass


        @pytest.mark.parametrize(("event_loop",), [("a",)])
        def test_direct(event_loop):
            pass
        """
    )
    found = fixture_requests(ast.parse(code), [FIXTURE_NAME], ProjectFacts())
    assert [r.how for r in found] == ["a parameter of test_indirect"]


def test_a_custom_python_functions_decides_which_functions_are_tests() -> None:
    # a function pytest collects as a test by the project's python_functions requests the
    # fixture; one it does not collect is a helper whose caller passes the loop
    from migrate_async.project import ProjectFacts
    from migrate_async.pytest_model.event_loop import FIXTURE_NAME
    from migrate_async.pytest_model.providers import fixture_requests

    code = "def check_loop(event_loop):\n    pass\n\n\ndef test_helper(event_loop):\n    pass\n"
    found = fixture_requests(ast.parse(code), [FIXTURE_NAME], ProjectFacts(python_functions=("check_",)))
    assert [r.how for r in found] == ["a parameter of check_loop"]


def test_event_loop_argument_leaves_a_parameter_its_parametrize_fills() -> None:
    import migrate_async

    code = textwrap.dedent(
        """\
        import pytest


        @pytest.mark.asyncio
        @pytest.mark.parametrize(("event_loop",), [("a",)])
        async def test_labels(event_loop):
            assert event_loop == "a"
        """
    )
    assert migrate_async.migrate_source(code, select=["event-loop-argument"]).code == code


def test_an_unused_request_goes(root: Path) -> None:
    # a trio test that takes event_loop and never reads it: the fix is deleting the parameter
    # (done), not asyncio.get_running_loop() (there is no asyncio loop under trio)
    code = textwrap.dedent(
        """\
        import pytest


        @pytest.mark.trio
        async def test_under_trio(event_loop):
            assert True


        def test_reads_it(event_loop):
            assert event_loop is not None
        """
    )
    notes = _notes(root, code)
    unused = [n for n in notes if "test_under_trio" in n]
    used = [n for n in notes if "test_reads_it" in n]
    assert unused == []
    assert len(used) == 1 and "get_running_loop" in used[0]


@pytest.mark.parametrize("mark", ["trio", "anyio"])
def test_advice_for_a_request_left_fits_the_tests_framework(root: Path, mark: str) -> None:
    code = f"import pytest\n\n\n@pytest.mark.{mark}\nasync def test_other(event_loop):\n    assert event_loop\n"
    [note] = _notes(root, code)
    assert f"its tests are {mark}'s" in note and "get_running_loop" not in note


@pytest.mark.parametrize("defined", [False, True])
def test_a_request_of_event_loop_nothing_defines_shows_pytest_asyncio(root: Path, defined: bool) -> None:
    # a project that declares its test dependencies where the run cannot read them (a CI
    # file): its tests requesting event_loop, which no file defines, were written for
    # pytest-asyncio 0.x; one that defines its own event_loop is not evidence of anything
    (root / ".git").mkdir()
    (root / "tests").mkdir()
    (root / "tests" / "test_a.py").write_text(
        "import asyncio\n\n\nasync def test_sleep(event_loop):\n    await asyncio.sleep(0)\n"
    )
    if defined:
        (root / "tests" / "conftest.py").write_text(
            "import pytest\n\n\n@pytest.fixture\ndef event_loop():\n    return None\n"
        )
    result = run([Path(".")], RunOptions(transforms=[t for t in REGISTRY if t.default], target=None))
    assert (result.changed_files == []) is defined
    assert any("pytest-asyncio is not used here" in line for line in result.left_alone) is defined


@pytest.mark.parametrize("module", ["tests.helpers", ".helpers"])
def test_another_fixture_imported_as_event_loop_leaves_the_module(root: Path, module: str) -> None:
    # pytest registers tests.helpers.counting_loop as this module's event_loop: its tests'
    # event_loop is that fixture's loop, not the running one; the module is left, and said
    (root / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    (root / "requirements.txt").write_text("pytest-asyncio==0.21.2\n")
    (root / "tests").mkdir()
    (root / "tests" / "__init__.py").write_text("")
    (root / "tests" / "helpers.py").write_text(
        "import asyncio\n\nimport pytest\n\n\n@pytest.fixture\ndef counting_loop():\n    yield asyncio.new_event_loop()\n"
    )
    test = (
        f"import pytest\n\nfrom {module} import counting_loop as event_loop\n\n\n"
        "@pytest.mark.asyncio\nasync def test_counts(event_loop):\n    assert event_loop\n"
    )
    (root / "tests" / "test_renamed.py").write_text(test)
    result = run([Path(".")], RunOptions(transforms=[BY_NAME["event-loop-argument"]], target=None))
    outcome = next(f for f in result.files if f.path.endswith("test_renamed.py"))
    assert not outcome.changed
    [note] = outcome.notes
    assert (note.line, note.kind) == (3, "loop-fixture-imported-renamed")
