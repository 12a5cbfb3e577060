"""The golden fixture pairs: fixtures_before/<transform>/<case> ↔ fixtures_after/<transform>/<case>.

``fixtures_before/all/<case>`` holds project cases run with the default selection, for what
concerns every transform (which plugin runs the tests, which pytest-asyncio is pinned).

Used by the test-suite and by ``migrate-async explain``. A case is a single test module
(``test_<case>.py``) or a project folder (its own pytest configuration, conftest.py, tests).
A single-file case may start with a line ``# golden: target-version=0.24`` to run under
another --target-version; a project case says the same in a file ``.golden``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .textdiff import unified_diff

#: The golden category run with every default transform rather than one.
ALL = "all"

REPO_ROOT = Path(__file__).resolve().parent.parent
BEFORE_ROOT = REPO_ROOT / "fixtures_before"
AFTER_ROOT = REPO_ROOT / "fixtures_after"


@dataclass(frozen=True)
class GoldenCase:
    transform: str
    name: str  # file name or folder name

    @property
    def before(self) -> Path:
        return BEFORE_ROOT / self.transform / self.name

    @property
    def after(self) -> Path:
        return AFTER_ROOT / self.transform / self.name

    @property
    def notes_file(self) -> Path:
        return AFTER_ROOT / self.transform / (Path(self.name).stem + ".notes")

    @property
    def is_project(self) -> bool:
        return self.before.is_dir()

    @property
    def id(self) -> str:
        return f"{self.transform}/{self.name}"

    def options(self) -> dict[str, str]:
        """Options for the run: ``# golden: key=value ...`` on the first line of a single-file
        case, or the same line as the first line of a project case's ``.golden`` file."""
        source = self.before / ".golden" if self.is_project else self.before
        if not source.is_file():
            return {}
        first = source.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
        if not first.startswith("# golden:"):
            return {}
        pairs = first[len("# golden:"):].split()
        return dict(pair.split("=", 1) for pair in pairs if "=" in pair)


def cases(transform: str | None = None) -> list[GoldenCase]:
    if not BEFORE_ROOT.is_dir():
        return []
    found = []
    folders = [BEFORE_ROOT / transform] if transform else sorted(p for p in BEFORE_ROOT.iterdir() if p.is_dir())
    for folder in folders:
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir()):
            if entry.name.startswith((".", "__")):
                continue
            if entry.is_dir() or entry.suffix == ".py":
                found.append(GoldenCase(folder.name, entry.name))
    return found


def unpaired_after_entries(before_root: Path = BEFORE_ROOT, after_root: Path = AFTER_ROOT) -> list[Path]:
    """What fixtures_after/ holds that no before-case accounts for: an after-case (file or
    project folder) or a ``.notes`` file whose case is not in fixtures_before/, a transform
    folder or a top-level file that fixtures_before/ lacks. Such a file is never compared."""
    if not after_root.is_dir():
        return []
    found = []
    for top in sorted(after_root.iterdir()):
        if top.name.startswith((".", "__")):
            continue
        if not top.is_dir():
            if not (before_root / top.name).is_file():
                found.append(top)
            continue
        before = before_root / top.name
        for entry in sorted(top.iterdir()):
            if entry.name.startswith((".", "__")):
                continue
            if entry.suffix == ".notes":
                paired = (before / f"{entry.stem}.py").is_file() or (before / entry.stem).is_dir()
            else:
                paired = (before / entry.name).is_dir() if entry.is_dir() else (before / entry.name).is_file()
            if not paired:
                found.append(entry)
    return found


def first_pair(transform: str) -> tuple[str, str] | None:
    """The before and after text of a transform's first single-file case that changes."""
    for case in cases(transform):
        if not case.is_project and case.after.is_file():
            before = case.before.read_text(encoding="utf-8")
            after = case.after.read_text(encoding="utf-8")
            if before != after:
                return before, after
    return None


def first_changed_case(transform: str) -> GoldenCase | None:
    for case in cases(transform):
        if not case.is_project and case.after.is_file() and case.before.read_bytes() != case.after.read_bytes():
            return case
    return None


def example_diff(transform: str, context: int = 2) -> str | None:
    """The unified diff of a transform's first single-file golden pair that changes."""
    case = first_changed_case(transform)
    if case is None:
        return None
    before = case.before.read_text(encoding="utf-8")
    after = case.after.read_text(encoding="utf-8")
    return unified_diff(before, after, f"fixtures_before/{case.id}", context, f"fixtures_after/{case.id}")


README_START = "<!-- golden examples: generated from fixtures_*/ by `pytest --update-goldens`; do not edit -->"
README_END = "<!-- end of golden examples -->"


README_TABLE_HEADER = "| transform | default | what it does |\n|---|---|---|\n"


def readme_table(transforms: list[tuple[str, bool, str]]) -> str:
    """The README's transform table: for each (name, default, summary), one row, in order."""
    rows = "".join(f"| `{name}` | {'on' if default else 'off'} | {summary} |\n" for name, default, summary in transforms)
    return README_TABLE_HEADER + rows


def readme_examples(transforms: list[tuple[str, str]]) -> str:
    """The README section: for each (name, summary), its first golden pair as a diff."""
    parts = [README_START, ""]
    for name, summary in transforms:
        parts.append(f"#### `{name}`\n")
        parts.append(f"{summary}\n")
        diff = example_diff(name)
        if diff:
            parts.append("```diff\n" + diff + "```\n")
    parts.append(README_END)
    return "\n".join(parts)
