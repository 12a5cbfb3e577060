"""readings: a tree read once is handed to the next reader of exactly the same text, once,
within a budget; a miss costs a parse, never a wrong answer."""

from __future__ import annotations

import ast
from pathlib import Path

from migrate_async import readings
from migrate_async.engine import RunOptions, run
from migrate_async.engine.source import resolve_selection
from migrate_async.pytest_model.event_loop import survey_event_loop
from migrate_async.transforms import glance as glance_module
from migrate_async.transforms.glance import Glance

LEGACY = """\
import pytest


def test_sync(event_loop):
    assert event_loop.run_until_complete(job()) == 1


async def job():
    return 1
"""


def setup_function() -> None:
    readings.forget_kept()
    readings.forget_offered()


def test_the_glance_takes_the_survey_tree_once() -> None:
    text = LEGACY + "# one\n"
    surveyed = survey_event_loop(text)
    glance = Glance.parse(text)
    assert glance is not None and glance.tree is surveyed.tree  # not parsed again
    again = Glance.parse(text)
    assert again is not None and again.tree is not surveyed.tree  # taken once: parsed anew
    assert ast.dump(again.tree) == ast.dump(surveyed.tree)


def test_only_the_same_text_takes_a_tree() -> None:
    text = LEGACY + "# two\n"
    surveyed = survey_event_loop(text)
    other = Glance.parse(text.replace("# two", "# 2"))
    assert other is not None and other.tree is not surveyed.tree
    kept = Glance.parse(text)
    assert kept is not None and kept.tree is surveyed.tree


def test_the_budget_gives_up_the_oldest_first() -> None:
    shelf = readings._Shelf(10)
    trees = {text: ast.parse(text) for text in ("a = 1\n", "b = 22\n", "c = 333\n", "d = 4444444444\n")}
    for text, tree in trees.items():
        shelf.put(text, tree)
    assert shelf.size <= 10
    assert shelf.take("a = 1\n") is None and shelf.take("b = 22\n") is None  # given up for the later ones
    assert shelf.take("c = 333\n") is trees["c = 333\n"]
    assert shelf.take("d = 4444444444\n") is None  # longer than the budget alone: never kept
    assert shelf.size == 0 and not shelf.trees


def test_a_run_leaves_nothing_kept(tmp_path: Path, monkeypatch) -> None:
    # (the glances take nothing here: what the survey kept is given up as the run ends)
    monkeypatch.setattr(glance_module, "take_for_glance", lambda text: None)
    tests = tmp_path / "tests"
    tests.mkdir()
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    (tests / "test_a.py").write_text(LEGACY)
    (tests / "test_b.py").write_text(LEGACY.replace("test_sync", "test_other"))
    result = run([tmp_path], RunOptions(transforms=resolve_selection(), target=None))
    assert any(outcome.changed for outcome in result.files)
    assert not readings._kept.trees and readings._kept.size == 0
    assert not readings._offered.trees
