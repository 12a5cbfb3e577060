"""The after-cases as a maintainer's CI would check them: a file that passed the project's
formatter (black or ruff format) before the migration passes it after, and pyflakes finds
nothing in a changed file that it did not find before."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest
from pyflakes.checker import Checker

from migrate_async.goldens import AFTER_ROOT, BEFORE_ROOT, cases
from migrate_async.project.formatting import (
    BLACK,
    RUFF,
    CodeStyle,
    _black,
    _ruff,
    _ruff_binary,
    detect_style,
)


def _changed_pairs() -> list[tuple[Path, Path]]:
    pairs = []
    for before in sorted(BEFORE_ROOT.rglob("*.py")):
        after = AFTER_ROOT / before.relative_to(BEFORE_ROOT)
        if after.is_file() and after.read_bytes() != before.read_bytes():
            pairs.append((before, after))
    return pairs


PAIRS = _changed_pairs()
PROJECTS = [c for c in cases() if c.is_project]


def _formatted_projects() -> list[tuple[Path, CodeStyle]]:
    found = []
    for case in PROJECTS:
        style = detect_style([case.before])
        if style.formatter is not None:
            found.append((case.before, style))
    return found


FORMATTED = _formatted_projects()


def _passes(text: str, path: Path, style: CodeStyle, formatter: str) -> bool:
    run = _black if formatter == BLACK else _ruff
    result = run(text, str(path), style)
    assert result is not None, f"{formatter} could not format {path}"
    return result == text


def test_some_golden_projects_configure_a_formatter() -> None:
    assert any(style.formatter == BLACK for _, style in FORMATTED)


@pytest.mark.parametrize("formatter", [BLACK, RUFF])
@pytest.mark.parametrize(("root", "style"), FORMATTED, ids=[str(r.relative_to(BEFORE_ROOT)) for r, _ in FORMATTED])
def test_a_formatter_clean_file_stays_clean(root: Path, style: CodeStyle, formatter: str) -> None:
    # black's and ruff format's styles agree on everything these cases touch, so each
    # project is checked with both at its own line length
    if formatter == RUFF and _ruff_binary() is None:
        pytest.skip("ruff is not installed")
    checked = 0
    for before in sorted(root.rglob("*.py")):
        after = AFTER_ROOT / before.relative_to(BEFORE_ROOT)
        old, new = before.read_text(encoding="utf-8"), after.read_text(encoding="utf-8")
        if old == new or not _passes(old, before, style, formatter):
            continue
        checked += 1
        assert _passes(new, after, style, formatter), f"{after.relative_to(AFTER_ROOT)} no longer passes {formatter}"
    assert checked, "no changed formatter-clean file in this case"


def _messages(path: Path) -> Counter[str]:
    checker = Checker(ast.parse(path.read_text(encoding="utf-8")), filename=str(path))
    return Counter(f"{type(m).__name__}: {m.message % m.message_args}" for m in checker.messages)


#: Changed files where pyflakes has something new to say, and why it is left so.
KNOWN_FLAKES: set[str] = set()


@pytest.mark.parametrize(("before", "after"), PAIRS, ids=[str(b.relative_to(BEFORE_ROOT)) for b, _ in PAIRS])
def test_pyflakes_finds_nothing_new(before: Path, after: Path) -> None:
    new = _messages(after) - _messages(before)
    if str(before.relative_to(BEFORE_ROOT)) in KNOWN_FLAKES:
        assert new, "fixed: remove the case from KNOWN_FLAKES"
        return
    assert not new, sorted(new)


@pytest.mark.parametrize("first_clean", [False, True], ids=["before-first", "after-first"])
def test_reformat_answers_the_same_in_either_order(monkeypatch: pytest.MonkeyPatch, first_clean: bool) -> None:
    """reformat asks the formatter about ``after`` first when the project's previous files
    mostly passed it, about ``before`` first otherwise: the answer is the same for every case
    (before clean or not, after clean, changed or failing), and one of them asks once."""
    from migrate_async.project import formatting

    outputs = {"clean": "clean", "messy": "tidy", "after-clean": "after-clean", "after-messy": "after-tidy", "after-fails": None}
    asked: list[str] = []

    def fake(text: str, path: str, style: CodeStyle) -> str | None:
        asked.append(text)
        return outputs[text]

    monkeypatch.setattr(formatting, "_black", fake)
    style = CodeStyle(formatter=BLACK, root=Path("/project"))
    expected = {
        ("clean", "after-clean"): "after-clean",
        ("clean", "after-messy"): "after-tidy",
        ("clean", "after-fails"): "after-fails",
        ("messy", "after-clean"): "after-clean",
        ("messy", "after-messy"): "after-messy",
        ("messy", "after-fails"): "after-fails",
    }
    for (before, after), answer in expected.items():
        order = formatting._Order()
        order.saw(clean=first_clean)  # one file seen: after first when it passed, else before first
        monkeypatch.setattr(formatting, "_ORDERS", {(BLACK, Path("/project")): order})
        asked.clear()
        assert formatting.reformat(before, after, "t.py", style) == answer
        if first_clean and outputs[after] in (None, after) or not first_clean and before == "messy":
            assert len(asked) == 1


def test_reformat_asks_after_first_while_fewer_than_a_third_of_the_files_failed() -> None:
    """The order is a cost guess from the project's files so far: before first on the first
    file and while a third or more of the befores failed the formatter, after first else."""
    from migrate_async.project import formatting

    order = formatting._Order()
    assert not order.after_first()
    order.saw(clean=True)
    assert order.after_first()
    order.saw(clean=False)
    assert not order.after_first()
    order.saw(clean=True)
    assert not order.after_first()  # one in three
    order.saw(clean=True)
    assert order.after_first()  # one in four


# a def that black splits: after **kwargs it puts a trailing comma only where every target
# version takes one (3.6+), which a file with no newer syntax does not tell it
_SPLIT_DEF = (
    "def handler(request, response, *arguments_given_positionally_to_it, **keyword_arguments_given_too):\n"
    "    return request\n"
)


@pytest.mark.parametrize(
    ("pyproject", "hook_args"),
    [
        ('[project]\nname = "x"\nrequires-python = ">=3.8"\n\n[tool.black]\nline-length = 88\n', None),
        ('[project]\nname = "x"\nrequires-python = ">=3.8"\n', []),
        # a target the hook names wins over requires-python, as black's own arguments do
        ('[project]\nname = "x"\nrequires-python = ">=3.8"\n', ["--target-version", "py33"]),
    ],
)
def test_black_runs_for_the_versions_it_infers_from_requires_python(
    tmp_path: Path, pyproject: str, hook_args: list[str] | None
) -> None:
    black = pytest.importorskip("black")
    (tmp_path / "pyproject.toml").write_text(pyproject)
    if hook_args is not None:
        (tmp_path / ".pre-commit-config.yaml").write_text(
            "repos:\n- repo: https://github.com/psf/black\n  rev: 24.1.0\n  hooks:\n  - id: black\n"
            f"    args: {hook_args!r}\n".replace("'", '"')
        )
    style = detect_style([tmp_path])
    assert style.formatter == BLACK
    ours = _black(_SPLIT_DEF, str(tmp_path / "test_x.py"), style)
    # what black itself writes there: its configuration read from that pyproject.toml
    config = black.parse_pyproject_toml(str(tmp_path / "pyproject.toml"))
    named = hook_args[1:] if hook_args else config.get("target_version", ())
    mode = black.Mode(target_versions={black.TargetVersion[v.upper()] for v in named})
    assert ours == black.format_str(_SPLIT_DEF, mode=mode)
    assert ours.endswith("    **keyword_arguments_given_too,\n):\n    return request\n") is (hook_args is None or not hook_args)
