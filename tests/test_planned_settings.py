"""The configuration as the run will leave it (Transform.planned_settings, ProjectFacts.planned):
a root conftest's session event_loop override becomes the default loop scopes, and every
file below it reads them before it is rewritten, so no fixture or test repeats them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from migrate_async.engine import RunOptions, run
from migrate_async.goldens import BEFORE_ROOT
from migrate_async.project import ProjectFacts
from migrate_async.transforms import REGISTRY

SAID_ONCE = BEFORE_ROOT / "all" / "root_session_loop_said_once"


def test_a_planned_default_is_what_the_facts_read() -> None:
    plain = ProjectFacts()
    planned = plain.planned({"asyncio_default_fixture_loop_scope": "session", "asyncio_default_test_loop_scope": "session"})
    assert (planned.default_fixture_loop_scope, planned.default_test_loop_scope) == ("session", "session")
    # the run's request replaces what the project set, and so does the plan
    configured = ProjectFacts(default_fixture_loop_scope="function")
    assert configured.planned({"asyncio_default_fixture_loop_scope": "session"}).default_fixture_loop_scope == "session"
    same = ProjectFacts(default_fixture_loop_scope="session")
    assert same.planned({"asyncio_default_fixture_loop_scope": "session"}) is same
    assert plain.planned({"asyncio_mode": "auto"}) is plain  # only the loop-scope defaults are read


@pytest.mark.parametrize(
    ("default", "cache_scope", "gives"),
    [
        (None, "module", False),  # unset: the fixture must say its loop
        ("function", "module", False),  # narrower: a ScopeMismatch without loop_scope=
        ("module", "module", True),
        ("session", "module", True),
        ("session", "session", True),
        ("module", "session", False),
        ("fixture-scope", "session", True),
    ],
)
def test_the_default_gives_a_fixture_its_loop_when_at_least_as_wide(default, cache_scope, gives) -> None:
    assert ProjectFacts(default_fixture_loop_scope=default).default_gives_loop(cache_scope) is gives


def _migrated(tmp_path: Path, target: tuple[int, int] | None = None) -> Path:
    work = tmp_path / "project"
    shutil.copytree(SAID_ONCE, work)
    options = RunOptions(transforms=[t for t in REGISTRY if t.default], target=target, write=True)
    result = run([work], options)
    assert not result.all_errors
    return work


def test_fixtures_under_the_root_session_loop_name_no_loop_scope(tmp_path: Path) -> None:
    work = _migrated(tmp_path)
    conftest = (work / "tests" / "conftest.py").read_text()
    assert "loop_scope" not in conftest  # quotes (module) ran on the session loop: the default says so
    assert "loop_scope" not in (work / "tests" / "test_feed.py").read_text()
    config = (work / "pyproject.toml").read_text()
    assert 'asyncio_default_fixture_loop_scope = "session"' in config
    assert 'asyncio_default_test_loop_scope = "session"' in config


def test_below_0_26_only_the_fixture_default_is_planned(tmp_path: Path) -> None:
    work = _migrated(tmp_path, target=(0, 25))
    conftest = (work / "tests" / "conftest.py").read_text()
    assert '@pytest_asyncio.fixture(scope="module")\n' in conftest  # the fixture default is session
    assert "def pytest_collection_modifyitems(items):" in conftest  # the tests' loop comes from the hook
    config = (work / "pyproject.toml").read_text()
    assert 'asyncio_default_fixture_loop_scope = "session"' in config
    assert "asyncio_default_test_loop_scope" not in config
