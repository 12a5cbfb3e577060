"""readings: a tree read once is handed to the next reader of exactly the same text, once,
within a budget; a miss costs a parse, never a wrong answer."""

from __future__ import annotations

import ast
import tracemalloc
from pathlib import Path

import pytest

from migrate_async import readings
from migrate_async.engine import RunOptions, run
from migrate_async.engine.source import resolve_selection
from migrate_async.pytest_model import event_loop as event_loop_model
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
    event_loop_model._last = None  # (the survey's last reading would answer without a parse)


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


def test_a_module_too_long_alone_is_not_kept() -> None:
    shelf = readings._Shelf(100, most=10)
    tree = ast.parse("a = 1\n")
    shelf.put("a = 1\n", tree)
    shelf.put("b = 22222222\n", ast.parse("b = 22222222\n"))
    assert shelf.take("b = 22222222\n") is None and shelf.take("a = 1\n") is tree


def test_the_budget_is_weighed_as_told() -> None:
    shelf = readings._Shelf(10, weigh=lambda text: 2 * len(text))
    shelf.put("a = 1\n", ast.parse("a = 1\n"))  # weighs 12: over the budget alone
    shelf.put("b=2\n", ast.parse("b=2\n"))  # weighs 8
    assert shelf.size == 8 and shelf.take("a = 1\n") is None and shelf.take("b=2\n") is not None
    assert shelf.size == 0


#: texts whose trees take the least and the most per character: prose in strings and
#: comments, data literals, one short statement per line
_WEIGHED = {
    "an ordinary test module": (Path(__file__).resolve().parent.parent / "fixtures_before" / "sync-to-async" / "test_order_client.py"),
    "a docstring": '"""' + "word " * 4000 + '"""\n',
    "a list of ints": "X = [" + ", ".join(str(i) for i in range(5000)) + "]\n",
    "a list of small dicts": "X = [" + ", ".join(f'{{"k": {i}}}' for i in range(2000)) + "]\n",
    "one call per line": "".join(f"f(a{i % 10})\n" for i in range(4000)),
    "attribute assignments": "".join(f"x.y{i % 10}.z = a.b\n" for i in range(3000)),
}


@pytest.mark.parametrize("name", list(_WEIGHED))
def test_a_trees_memory_follows_its_weight(name: str) -> None:
    """The survey's shelf is bounded by weight: a tree takes at most about 55 bytes per unit
    (readings.KEPT_WEIGHT), whatever its text, where by characters it took 33 to 260."""
    text = _WEIGHED[name]
    if isinstance(text, Path):
        text = text.read_text(encoding="utf-8")
    tracemalloc.start()
    try:
        tree = ast.parse(text)
        taken = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert tree is not None
    assert taken <= 70 * readings.tree_weight(text)


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


def test_the_python_api_leaves_nothing_kept() -> None:
    # migrate_source surveys the module (the survey keeps its tree for the glance) but runs
    # no engine.run to give it up: a transform with no certainly_idle (asynctest), or no
    # transform chosen at all, means no glance takes it
    from migrate_async import migrate_source

    for index in range(3):
        text = f"import asynctest\n# {index}\n" + LEGACY
        migrate_source(text, select=["asynctest", "event-loop-argument"])
        migrate_source(text)
        migrate_source(f"x = {index}\n")
    assert not readings._kept.trees and readings._kept.size == 0


def _golden_before_texts() -> list[str]:
    from migrate_async.goldens import BEFORE_ROOT

    texts = []
    for path in sorted(BEFORE_ROOT.rglob("*.py")):
        try:
            texts.append(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError:
            continue
    return texts


def test_a_kept_tree_answers_as_a_fresh_parse_on_every_golden() -> None:
    # differential: the glance of the survey's tree (after every survey pass read it) tells
    # each transform what a glance of a fresh parse tells it, and nobody changed the tree
    from migrate_async.engine.source import surveyed
    from migrate_async.project import FileFacts
    from migrate_async.transforms import REGISTRY

    facts = FileFacts()
    asking = [t for t in REGISTRY if t.triggers.survey]
    compared = 0
    for text in _golden_before_texts():
        try:
            fresh_tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        readings.forget_kept()
        surveyed(asking, text, facts)
        kept = readings._kept.trees.get(text)
        if kept is None:
            continue  # (no survey read this one)
        shared = Glance.parse(text)
        assert shared is not None and shared.tree is kept
        fresh = Glance.of(fresh_tree)
        fresh.source = text  # (as Glance.parse gives it)
        for transform in REGISTRY:
            try:
                answer = transform.certainly_idle(fresh, facts)
            except Exception as exc:  # noqa: BLE001
                answer = type(exc)
            try:
                again = transform.certainly_idle(shared, facts)
            except Exception as exc:  # noqa: BLE001
                again = type(exc)
            assert again == answer, transform.name
        assert ast.dump(kept, include_attributes=True) == ast.dump(fresh_tree, include_attributes=True)
        assert (shared.identifiers, shared.strings, shared.bindings, shared.keywords) == (
            fresh.identifiers, fresh.strings, fresh.bindings, fresh.keywords
        )
        compared += 1
    assert compared > 100
