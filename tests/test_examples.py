"""Every transform's examples run: each is a one-file project that ``apply`` with that
transform alone must turn into the example's After, byte for byte (its pytest.ini too), and
the After must then be left as it is. ``explain`` shows the examples, made from that data.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from migrate_async.engine import RunOptions, run
from migrate_async.project import NEWEST_TARGET, parse_version
from migrate_async.transforms import REGISTRY, Transform
from migrate_async.transforms.examples import Example, document, render_examples

CASES = [(t, i, e) for t in REGISTRY for i, e in enumerate(t.examples)]
IDS = [f"{t.name}-{i}" for t, i, _ in CASES]


def write_project(example: Example, root: Path) -> str:
    """The example's one-file project in ``root``: its file and a pytest.ini that sets the
    mode. Returns the pytest.ini text."""
    ini = f"[pytest]\nasyncio_mode = {example.mode}\n"
    (root / "pytest.ini").write_bytes(ini.encode("utf-8"))
    (root / example.path).write_bytes(example.before.encode("utf-8"))
    return ini


def apply(transform: type[Transform], example: Example, root: Path) -> tuple[str, str]:
    """``migrate-async apply --select NAME`` on the project in ``root`` (survey, rewrite and
    configuration edits included); the file's new text and pytest.ini's."""
    target = parse_version(example.target) if example.target is not None else NEWEST_TARGET
    result = run([root], RunOptions(transforms=[transform], target=target, write=True))
    assert not result.all_errors, result.all_errors
    return (root / example.path).read_bytes().decode("utf-8"), (root / "pytest.ini").read_bytes().decode("utf-8")


def changed_lines(old: str, new: str) -> str:
    kept = set(old.splitlines())
    return "\n".join(line for line in new.splitlines() if line not in kept)


@pytest.mark.parametrize(("transform", "index", "example"), CASES, ids=IDS)
def test_example_runs(transform: type[Transform], index: int, example: Example, tmp_path: Path) -> None:
    ini = write_project(example, tmp_path)
    code, new_ini = apply(transform, example, tmp_path)
    assert code == example.after
    assert changed_lines(ini, new_ini) == example.config
    assert apply(transform, example, tmp_path) == (code, new_ini), "a second run changes the After"


def test_every_transform_has_a_rewrite_and_a_must_not_touch_example() -> None:
    for transform in REGISTRY:
        assert any(e.rewrites for e in transform.examples), f"{transform.name}: no example that rewrites"
        assert any(not e.rewrites for e in transform.examples), f"{transform.name}: no must-not-touch example"


def test_docstrings_hold_no_hand_written_before_after() -> None:
    import sys

    for transform in REGISTRY:
        doc = sys.modules[transform.__module__].__doc__ or ""
        lines = doc.splitlines()
        assert "Before:" not in lines and "After:" not in lines, f"{transform.name}: Before/After belong in examples"


def test_class_docstring_is_made_from_the_prose_and_the_examples() -> None:
    for transform in REGISTRY:
        assert transform.__doc__ == document(transform), transform.name
        first = next(e for e in transform.examples if e.rewrites)
        assert first.before.strip().splitlines()[0] in transform.__doc__


def test_explain_shows_the_examples_from_the_data(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from migrate_async.cli import app

    for transform in REGISTRY:
        shown = CliRunner().invoke(app, ["explain", transform.name], catch_exceptions=False).stdout
        assert render_examples(transform.examples) in shown, transform.name
        assert document(transform) in shown, transform.name
    transform = REGISTRY[0]
    changed = dataclasses.replace(transform.examples[0], after="marker_that_no_transform_writes = 1\n")
    monkeypatch.setattr(transform, "examples", (changed, *transform.examples[1:]))
    shown = CliRunner().invoke(app, ["explain", transform.name], catch_exceptions=False).stdout
    assert "    marker_that_no_transform_writes = 1\n" in shown


def test_explain_says_so_when_a_transform_has_no_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from migrate_async.cli import app

    transform = REGISTRY[0]
    monkeypatch.setattr(transform, "examples", ())
    shown = CliRunner().invoke(app, ["explain", transform.name], catch_exceptions=False).stdout
    assert "Examples: none declared." in shown
