"""The README keeps in step with the registry, the CLI and CI."""

from __future__ import annotations

from pathlib import Path

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


def test_transform_table_matches_the_registry() -> None:
    rows = [line for line in README.splitlines() if line.startswith("| `")]
    table = {}
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        if len(cells) == 3 and cells[1] in ("on", "off"):
            table[cells[0].strip("`")] = (cells[1], cells[2])
    assert list(table) == [t.name for t in REGISTRY], "README transform table out of registry order"
    for transform in REGISTRY:
        default, summary = table[transform.name]
        assert default == ("on" if transform.default else "off"), transform.name
        assert summary == transform.summary, transform.name
