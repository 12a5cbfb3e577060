"""Editing a requirement list in setup.cfg or tox.ini changes the entries only: the option's
key line (``tests_require = `` with a trailing space, ``deps=`` with none) stays byte for byte
(engine/requirement_edits.py raises, engine/requirement_additions.py adds; configupdater
rewrites the key line of a value it sets)."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate_async.engine.requirement_additions import Addition, add_to
from migrate_async.engine.requirement_edits import _edited
from migrate_async.project.requirements import declarations
from migrate_async.transforms.requests import RequirementRequest


def _declared(tmp_path: Path, name: str, text: str, wanted: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path, next(d for d in declarations([tmp_path]) if d.name == wanted)


@pytest.mark.parametrize(
    ("name", "before", "after"),
    [
        pytest.param(
            "setup.cfg",
            "[options]\ntests_require = \n\tpytest==7.1.2\n\tpytest-asyncio==0.18.3\n\n[x]\ny = 1\n",
            "[options]\ntests_require = \n\tpytest==7.1.2\n\tpytest-asyncio==1.5.0\n\n[x]\ny = 1\n",
            id="trailing-space",
        ),
        pytest.param(
            "tox.ini",
            "[testenv]\ndeps=\n    pytest\n    pytest-asyncio<0.22\ncommands = pytest\n",
            "[testenv]\ndeps=\n    pytest\n    pytest-asyncio>=1.5\ncommands = pytest\n",
            id="no-space",
        ),
        pytest.param(
            "tox.ini",
            "[testenv]\ndeps =\n    pytest\n    pytest-asyncio<0.22\n",
            "[testenv]\ndeps =\n    pytest\n    pytest-asyncio>=1.5\n",
            id="plain",
        ),
    ],
)
def test_a_raise_keeps_the_key_line(name: str, before: str, after: str, tmp_path: Path) -> None:
    path, declared = _declared(tmp_path, name, before, "pytest-asyncio")
    new, left = _edited(path, before, [(declared, "1.5")])
    assert left == []
    assert new == after


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "[options.extras_require]\ntest = \n    pytest\n    pytest-cov \n",
            "[options.extras_require]\ntest = \n    pytest\n    pytest-aiohttp>=1.0.5\n    pytest-cov \n",
        ),
        (
            "[options.extras_require]\ntest=\n\tpytest\n",
            "[options.extras_require]\ntest=\n\tpytest\n\tpytest-aiohttp>=1.0.5\n",
        ),
    ],
)
def test_an_addition_keeps_the_key_line_and_the_untouched_entries(before: str, after: str, tmp_path: Path) -> None:
    path, declared = _declared(tmp_path, "setup.cfg", before, "pytest")
    request = RequirementRequest("pytest-aiohttp", "1.0.5", ("pytest",), "aiohttp-plugin", "declare-pytest-aiohttp")
    new, left = add_to(path, before, [Addition(request, declared)])
    assert left == []
    assert new == after
