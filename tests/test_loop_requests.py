"""No silent misses: what still requests ``event_loop`` after the run, where nothing defines
it, is reported file:line (engine/loop_requests.py, pytest_model.event_loop.unmet_requests)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from migrate_async.engine import RunOptions, run
from migrate_async.transforms import REGISTRY

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
