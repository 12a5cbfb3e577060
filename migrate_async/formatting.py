"""The project's code style: which formatter it uses (black or ruff format), with what line
length and trailing-comma rule, and running that formatter over a file we changed.

Two layers keep a formatter-clean file clean:

- the edits themselves wrap what they touch the way black and ruff format do (see
  cstkit/wrap.py), with the line length and magic-trailing-comma rule found here, so a
  project gets tidy signatures and decorators whether or not a formatter is installed;
- when the project's formatter is installed and the file passed it before our edits, the
  formatter runs over the new text. Every statement we did not touch is already what the
  formatter makes of it, so only what we changed can move: this is how the parts our own
  wrapping does not cover (a long ``with`` line, a list that grew) end up as the formatter
  writes them. A file that did not pass before is never given to the formatter.
"""

from __future__ import annotations

import shutil
import subprocess
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit
import tomlkit.exceptions

BLACK = "black"
RUFF = "ruff"

#: What black and ruff format use when a project sets nothing.
DEFAULT_LINE_LENGTH = 88


@dataclass(frozen=True)
class CodeStyle:
    """How the project's code is formatted (defaults: black's)."""

    formatter: str | None = None  # BLACK, RUFF, or None when none was found
    source: str = ""  # where that was learned ("pyproject.toml [tool.black]")
    line_length: int = DEFAULT_LINE_LENGTH
    magic_trailing_comma: bool = True
    #: black's other settings that change its output (target-version, skip-string-normalization, preview)
    black_options: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    root: Path | None = None  # the folder the formatter's configuration was found in


def detect_style(folders: list[Path]) -> CodeStyle:
    """The style of a project whose dependency folders are ``folders`` (nearest first): the
    formatter named by a pre-commit hook or a formatter table in pyproject.toml / ruff.toml,
    and the settings of that formatter's own configuration."""
    for folder in folders:
        style = _style_in(folder)
        if style is not None:
            return style
    return CodeStyle()


def _style_in(folder: Path) -> CodeStyle | None:
    pyproject = _toml(folder / "pyproject.toml")
    tool = pyproject.get("tool", {}) if isinstance(pyproject.get("tool"), dict) else {}
    black = tool.get("black") if isinstance(tool.get("black"), dict) else None
    ruff_file = next((name for name in ("ruff.toml", ".ruff.toml") if (folder / name).is_file()), None)
    ruff = _toml(folder / ruff_file) if ruff_file else tool.get("ruff") if isinstance(tool.get("ruff"), dict) else None
    ruff_where = ruff_file or "pyproject.toml [tool.ruff]"
    hooks = _pre_commit_hooks(folder / ".pre-commit-config.yaml")
    if "black" in hooks or "black-jupyter" in hooks:
        return _black_style(black or {}, ".pre-commit-config.yaml (black)", folder)
    if "ruff-format" in hooks:
        return _ruff_style(ruff or {}, ".pre-commit-config.yaml (ruff-format)", folder)
    if black is not None:
        return _black_style(black, "pyproject.toml [tool.black]", folder)
    if ruff is not None and isinstance(ruff.get("format"), dict):
        return _ruff_style(ruff, f"{ruff_where} (format)", folder)
    return None


def _black_style(table: dict[str, Any], source: str, folder: Path) -> CodeStyle:
    options = {key: table[key] for key in ("target-version", "skip-string-normalization", "preview") if key in table}
    return CodeStyle(
        formatter=BLACK,
        source=source,
        line_length=_int(table.get("line-length")),
        magic_trailing_comma=not table.get("skip-magic-trailing-comma", False),
        black_options=options,
        root=folder,
    )


def _ruff_style(table: dict[str, Any], source: str, folder: Path) -> CodeStyle:
    format_table = table.get("format") if isinstance(table.get("format"), dict) else {}
    return CodeStyle(
        formatter=RUFF,
        source=source,
        line_length=_int(table.get("line-length")),
        magic_trailing_comma=not format_table.get("skip-magic-trailing-comma", False),
        root=folder,
    )


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else DEFAULT_LINE_LENGTH


def _toml(path: Path) -> dict[str, Any]:
    try:
        data = tomlkit.parse(path.read_text(encoding="utf-8")).unwrap()
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.TOMLKitError):
        return {}
    return data if isinstance(data, dict) else {}


def _pre_commit_hooks(path: Path) -> set[str]:
    """The hook ids a .pre-commit-config.yaml names (``- id: black``); read line by line:
    only which ids occur matters here."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return set()
    ids = set()
    for line in text.splitlines():
        words = line.split("#", 1)[0].strip().lstrip("-").strip()
        if words.startswith("id:"):
            ids.add(words[3:].strip().strip("'\""))
    return ids


# -- running the formatter ----------------------------------------------------------------
def reformat(before: str, after: str, path: str, style: CodeStyle) -> str:
    """``after`` as the project's formatter writes it, when that formatter is installed and
    ``before`` already passed it; otherwise ``after`` unchanged."""
    if style.formatter is None or before == after:
        return after
    run = _black if style.formatter == BLACK else _ruff
    if run(before, path, style) != before:
        return after  # not formatter-clean before (or the formatter is not installed / failed)
    formatted = run(after, path, style)
    return formatted if formatted is not None else after


def _black(text: str, path: str, style: CodeStyle) -> str | None:
    try:
        import black
    except ImportError:
        return None
    options = style.black_options
    try:
        versions = {black.TargetVersion[str(v).upper()] for v in options.get("target-version", ())}
        mode = black.Mode(
            target_versions=versions,
            line_length=style.line_length,
            string_normalization=not options.get("skip-string-normalization", False),
            magic_trailing_comma=style.magic_trailing_comma,
            preview=bool(options.get("preview", False)),
        )
        return black.format_str(text, mode=mode)
    except Exception:  # noqa: BLE001 - the formatter's failure leaves our text as it is
        return None


def _ruff(text: str, path: str, style: CodeStyle) -> str | None:
    binary = _ruff_binary()
    if binary is None:
        return None
    try:
        done = subprocess.run(
            [binary, "format", "--quiet", "--stdin-filename", path, "-"],
            input=text.encode("utf-8", "surrogatepass"),
            capture_output=True,
            cwd=style.root,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "surrogatepass")


def _ruff_binary() -> str | None:
    """The ``ruff`` executable: next to this interpreter (a virtual environment's scripts
    folder, where ``pip install ruff`` puts it), else on PATH."""
    scripts = Path(sysconfig.get_path("scripts"))
    for name in ("ruff", "ruff.exe"):
        if (scripts / name).is_file():
            return str(scripts / name)
    return shutil.which("ruff")
