"""The README keeps in step with the registry, the CLI and CI."""

from __future__ import annotations

from pathlib import Path

from migrate_async.goldens import (
    README_END,
    README_START,
    README_TABLE_HEADER,
    readme_examples,
    readme_table,
)
from migrate_async.transforms import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _code_blocks(text: str) -> list[str]:
    blocks, current, inside = [], [], False
    for line in text.splitlines():
        if line.startswith("```"):
            if inside:
                blocks.append("\n".join(current))
                current = []
            inside = not inside
            continue
        if inside:
            current.append(line)
    return blocks


def test_readme_opens_with_the_two_commands() -> None:
    first, second = _code_blocks(README)[:2]
    assert first.strip() == "pip install -e . && migrate-async diff fixtures_before"
    assert second.strip() == "pip install -e '.[test]' && pytest"


def test_ci_runs_the_readme_test_command() -> None:
    command = _code_blocks(README)[1].strip()
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert command in ci_lines


def test_transform_table_matches_the_registry(update_goldens: bool) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert README_TABLE_HEADER in text
    head, rest = text.split(README_TABLE_HEADER, 1)
    rows = rest[: rest.index("\n\n") + 1]
    current = README_TABLE_HEADER + rows
    wanted = readme_table([(t.name, t.default, t.summary) for t in REGISTRY])
    if update_goldens:
        (ROOT / "README.md").write_text(head + wanted + rest[len(rows) :], encoding="utf-8")
        return
    assert current == wanted, "README transform table out of step with the registry: run pytest --update-goldens"


def test_readme_shows_each_transform_with_its_golden_example(update_goldens: bool) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert README_START in text and README_END in text
    head, rest = text.split(README_START, 1)
    current, tail = rest.split(README_END, 1)
    wanted = readme_examples([(t.name, t.summary) for t in REGISTRY])
    if update_goldens:
        (ROOT / "README.md").write_text(head + wanted + tail, encoding="utf-8")
        return
    assert README_START + current + README_END == wanted, "README examples are stale: run pytest --update-goldens"
    for transform in REGISTRY:
        assert f"#### `{transform.name}`" in wanted


def test_explain_every_transform() -> None:
    from typer.testing import CliRunner

    from migrate_async.cli import app
    from migrate_async.goldens import first_changed_case

    for transform in REGISTRY:
        result = CliRunner().invoke(app, ["explain", transform.name], catch_exceptions=False)
        assert result.exit_code == 0, transform.name
        for heading in ("What:", "Why:", "Safety:"):
            assert heading in result.stdout, f"{transform.name}: docstring lacks {heading}"
        if first_changed_case(transform.name) is not None:
            assert "--- before" in result.stdout and "--- after" in result.stdout, transform.name
