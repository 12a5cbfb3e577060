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
  writes them. A file that did not pass before is never given to the formatter; with black,
  where only the changed statements are formatted (formatter_regions.py), it is those
  statements that must have passed before.
"""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sysconfig
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import tomlkit
import tomlkit.exceptions

from ..imports.placement import ISORT, ImportOrder
from ..imports.placement import RUFF as RUFF_SORTER
from .config_files import toml_data
from .formatter_regions import reformat_regions

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
    #: False when the formatter's settings come from somewhere this does not read (a
    #: ``--config`` argument of its pre-commit hook): then nothing is laid out again
    known: bool = True
    #: how the project's import sorter (isort, ruff's ``I`` rules) orders import lines
    imports: ImportOrder = ImportOrder()


def detect_style(folders: list[Path]) -> CodeStyle:
    """The style of a project whose dependency folders are ``folders`` (nearest first): the
    formatter named by a pre-commit hook or a formatter table in pyproject.toml / ruff.toml,
    and the settings of that formatter's own configuration."""
    style = next((found for found in map(_style_in, folders) if found is not None), CodeStyle())
    return replace(style, imports=import_order(folders))


def _style_in(folder: Path) -> CodeStyle | None:
    pyproject = _toml(folder / "pyproject.toml")
    tool = _table(pyproject.get("tool"))
    black = _table(tool.get("black")) if "black" in tool else None
    ruff_file = _ruff_file(folder)
    ruff = _ruff_table(folder, tool)
    ruff_where = ruff_file or "pyproject.toml [tool.ruff]"
    hooks = _pre_commit_hooks(folder / ".pre-commit-config.yaml")
    for hook in ("black", "black-jupyter"):
        if hook in hooks:
            return _with_args(_black_style(black or {}, f".pre-commit-config.yaml ({hook})", folder, pyproject), hooks[hook])
    if "ruff-format" in hooks:
        return _with_args(_ruff_style(ruff or {}, ".pre-commit-config.yaml (ruff-format)", folder), hooks["ruff-format"])
    if black is not None:
        return _black_style(black, "pyproject.toml [tool.black]", folder, pyproject)
    if ruff is not None and "format" in ruff:
        return _ruff_style(ruff, f"{ruff_where} (format)", folder)
    yapf = _yapf_column_limit(folder, tool)
    length = _lint_line_length(folder, ruff)
    if yapf and not (length and length < yapf):  # (a linter's shorter limit binds our lines too)
        return CodeStyle(line_length=yapf, source="yapf's column_limit", root=folder)
    return CodeStyle(line_length=length, source="line length of the linter", root=folder) if length else None


def _yapf_column_limit(folder: Path, tool: dict[str, Any]) -> int | None:
    """The ``column_limit`` yapf formats the folder's code to, where one is set: in
    ``.style.yapf`` ([style]), ``setup.cfg`` ([yapf]) or pyproject.toml ([tool.yapf]), read
    from the first that has the section, as yapf does (a later one is not looked at). (yapf
    is not run: its limit is the line length.)"""
    for name, section in ((".style.yapf", "style"), ("setup.cfg", "yapf")):
        if not (folder / name).is_file():
            continue
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(folder / name, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError):
            continue
        if not parser.has_section(section):
            continue
        value = parser.get(section, "column_limit", fallback="").strip()
        return int(value) if value.isdigit() and int(value) > 0 else None  # (else its based_on_style's)
    value = _table(tool.get("yapf")).get("column-limit")  # (the table's keys spelled with "-")
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _ruff_file(folder: Path) -> str | None:
    return next((name for name in ("ruff.toml", ".ruff.toml") if (folder / name).is_file()), None)


def _ruff_table(folder: Path, tool: dict[str, Any]) -> dict[str, Any] | None:
    """ruff's settings in ``folder``: its ruff.toml, else pyproject.toml's [tool.ruff]."""
    ruff_file = _ruff_file(folder)
    return _keys(_toml(folder / ruff_file)) if ruff_file else _table(tool.get("ruff")) if "ruff" in tool else None


def _black_style(table: dict[str, Any], source: str, folder: Path, pyproject: dict[str, Any]) -> CodeStyle:
    """``pyproject``: the folder's pyproject.toml as read (its ``[project]`` too)."""
    options = {key: table[key] for key in ("target-version", "skip-string-normalization", "preview") if key in table}
    if "target-version" not in options:
        # black then targets the versions [project] requires-python admits (black_targets)
        requires = _table(pyproject.get("project")).get("requires-python")
        if isinstance(requires, str):
            options["requires-python"] = requires
    return _style(BLACK, table, table, source, folder, options)


def _ruff_style(table: dict[str, Any], source: str, folder: Path) -> CodeStyle:
    return _style(RUFF, table, _table(table.get("format")), source, folder, {})


def _style(
    formatter: str, table: dict[str, Any], layout: dict[str, Any], source: str, folder: Path, options: dict[str, Any]
) -> CodeStyle:
    """The style a formatter's table asks for: its line length, and the magic trailing comma
    unless its layout table (ruff's ``format``) skips it."""
    return CodeStyle(
        formatter=formatter,
        source=source,
        line_length=_int(table.get("line-length")),
        magic_trailing_comma=not layout.get("skip-magic-trailing-comma", False),
        root=folder,
        black_options=options,
    )


def _with_args(style: CodeStyle, args: list[str]) -> CodeStyle:
    """The style as a pre-commit hook's ``args`` change it (``--line-length=100``, ``-l 100``,
    ``--skip-magic-trailing-comma``/``-C``, black's ``--target-version``/``-t``, repeatable); a
    ``--config`` makes it unknown."""
    changes: dict[str, Any] = {}
    words = iter(args)
    for word in words:
        name, _, value = word.partition("=")
        if name in ("--line-length", "-l") or (name.startswith("-l") and name[2:].isdigit()):
            value = value or (name[2:] if name.startswith("-l") and name != "-l" else next(words, ""))
            if not value.isdigit():
                return replace(style, known=False)
            changes["line_length"] = int(value)
        elif name in ("--skip-magic-trailing-comma", "-C"):
            changes["magic_trailing_comma"] = False
        elif name in ("--target-version", "-t"):
            value = value or next(words, "")
            options = changes.setdefault("black_options", {**style.black_options, "target-version": []})
            options["target-version"].append(value)
        elif name == "--config":
            return replace(style, known=False)
    return replace(style, **changes)


def _lint_line_length(folder: Path, ruff: dict[str, Any] | None) -> int | None:
    """The line length a project without a formatter keeps to: ruff's ``line-length`` or
    flake8's ``max-line-length``, when one is set."""
    if ruff is not None and _int(ruff.get("line-length")) != DEFAULT_LINE_LENGTH:
        return _int(ruff.get("line-length"))
    for name in (".flake8", "setup.cfg", "tox.ini"):
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(folder / name, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError):
            continue
        value = parser.get("flake8", "max-line-length", fallback="").strip()
        if value.isdigit() and int(value) > 0:
            return None if _ignores_line_length(parser) else int(value)
    return None


def _ignores_line_length(parser: configparser.ConfigParser) -> bool:
    """Whether flake8's ``ignore``/``extend-ignore`` turns off E501 (a code or a prefix of
    it: ``E5``, ``E``): then its ``max-line-length`` binds nothing."""
    for key in ("ignore", "extend-ignore"):
        codes = parser.get("flake8", key, fallback="").replace(",", " ").split()
        if any(code and "E501".startswith(code.strip()) for code in codes):
            return True
    return False


def _table(value: Any) -> dict[str, Any]:
    return _keys(value) if isinstance(value, dict) else {}


def _keys(table: dict[str, Any]) -> dict[str, Any]:
    """A formatter table with its keys spelled one way (black also reads ``line_length``)."""
    return {str(k).replace("_", "-"): v for k, v in table.items()}


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else DEFAULT_LINE_LENGTH


def _toml(path: Path) -> dict[str, Any]:
    try:
        data = toml_data(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.TOMLKitError):
        return {}
    return data if isinstance(data, dict) else {}


def _pre_commit_hooks(path: Path) -> dict[str, list[str]]:
    """The hook ids a .pre-commit-config.yaml names (``repos: - repo: ... hooks: - id: black``,
    ``repo: local`` hooks too), each with its ``args`` as strings. Best effort: a file that is
    missing or not YAML gives ``{}``, and whatever has an unexpected shape is passed over."""
    try:
        text = path.read_text(encoding="utf-8")
    except Exception:  # (as below: whatever goes wrong means no hooks)
        return {}
    import yaml  # (here: most runs read no .pre-commit-config.yaml, and PyYAML takes a while to import)

    try:
        data = yaml.safe_load(text)
    except Exception:  # not only YAMLError: a bad !!int or date gives ValueError, deep nesting RecursionError
        return {}
    repos = data.get("repos") if isinstance(data, dict) else None
    hooks: dict[str, list[str]] = {}
    for repo in repos if isinstance(repos, list) else []:
        entries = repo.get("hooks") if isinstance(repo, dict) else None
        for hook in entries if isinstance(entries, list) else []:
            hook_id = hook.get("id") if isinstance(hook, dict) else None
            if _scalar(hook_id):
                hooks[str(hook_id)] = _strings(hook.get("args"))
    return hooks


def _strings(args: Any) -> list[str]:
    """A hook's ``args`` as strings: a list (its numbers and other scalars written with
    ``str``, anything else dropped), or a lone string (or number) as a list of one."""
    if isinstance(args, list):
        return [str(arg) for arg in args if _scalar(arg)]
    return [str(args)] if _scalar(args) else []


def _scalar(value: Any) -> bool:
    return value is not None and not isinstance(value, (list, dict, set, bytes))


# -- the import sorter ---------------------------------------------------------------------
#: isort's configuration files, in the order it tries them in one folder, each with the
#: sections it reads (the first file with settings wins)
_ISORT_FILES = (
    (".isort.cfg", ("settings", "isort")),
    ("pyproject.toml", ("tool.isort",)),
    ("setup.cfg", ("isort", "tool:isort")),
    ("tox.ini", ("isort", "tool:isort")),
)

#: what isort's profiles set of the options read here (isort/profiles.py)
_ISORT_PROFILES: dict[str, dict[str, bool]] = {
    "google": {"force_sort_within_sections": True, "lexicographical": True, "order_by_type": False, "group_by_package": True},
    "open_stack": {"force_sort_within_sections": True, "lexicographical": True},
}

#: the words isort reads as booleans in an INI file
_TRUE = frozenset({"y", "yes", "t", "true", "on", "1"})
_FALSE = frozenset({"n", "no", "f", "false", "off", "0"})


def import_order(folders: list[Path]) -> ImportOrder:
    """How the project whose folders are ``folders`` (nearest first) keeps its imports
    sorted: the settings of isort, or of ruff's isort rules, in the nearest folder that
    has either. A folder with both is isort's, unless its pre-commit configuration runs
    ruff and not isort."""
    for folder in folders:
        isort = _isort_settings(folder)
        ruff = _ruff_isort_settings(folder)
        if isort is not None and ruff is not None:
            hooks = _pre_commit_hooks(folder / ".pre-commit-config.yaml")
            if "isort" not in hooks and ("ruff" in hooks or "ruff-check" in hooks):
                isort = None
        if isort is not None:
            return _isort_order(isort)
        if ruff is not None:
            return ImportOrder(
                sorter=RUFF_SORTER,
                by_module=ruff.get("force-sort-within-sections") is True,
                case_sensitive=ruff.get("case-sensitive") is True,
            )
    return ImportOrder()


def _isort_settings(folder: Path) -> dict[str, Any] | None:
    """isort's settings in ``folder``: those of the first of its files that has any."""
    for name, sections in _ISORT_FILES:
        path = folder / name
        if not path.is_file():
            continue
        settings: dict[str, Any] = {}
        if name.endswith(".toml"):
            tool = _toml(path).get("tool")
            isort = tool.get("isort") if isinstance(tool, dict) else None
            settings.update(isort if isinstance(isort, dict) else {})  # (isort's keys are spelled with "_" only)
        else:
            parser = configparser.ConfigParser(strict=False, interpolation=None)
            try:
                parser.read(path, encoding="utf-8")
            except (configparser.Error, UnicodeDecodeError):
                continue
            for section in sections:
                if parser.has_section(section):
                    settings.update(parser.items(section))
        if settings:
            return settings
    return None


def _isort_order(settings: dict[str, Any]) -> ImportOrder:
    """The order isort's ``settings`` give: its profile's options, overridden by those set."""
    options: dict[str, bool] = dict(_ISORT_PROFILES.get(str(settings.get("profile", "")).strip(), {}))
    for key in ("force_sort_within_sections", "lexicographical", "order_by_type", "group_by_package"):
        value = _flag(settings.get(key))
        if value is not None:
            options[key] = value
    return ImportOrder(
        sorter=ISORT,
        by_module=options.get("force_sort_within_sections", False),
        case_sensitive=options.get("order_by_type", True),
        lexicographical=options.get("lexicographical", False),
        group_by_package=options.get("group_by_package", False),
    )


def _flag(value: Any) -> bool | None:
    """A boolean setting as isort reads it (``true``, ``1``, ``yes``...); None when unset or not one."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower() if isinstance(value, (str, int)) else ""
    return True if word in _TRUE else False if word in _FALSE else None


def _ruff_isort_settings(folder: Path) -> dict[str, Any] | None:
    """ruff's isort settings in ``folder`` (``lint.isort``, over the older top-level
    ``isort``); None when the folder has no ruff configuration."""
    ruff = _ruff_table(folder, _table(_toml(folder / "pyproject.toml").get("tool")))
    if ruff is None:
        return None
    return {**_table(ruff.get("isort")), **_table(_table(ruff.get("lint")).get("isort"))}


# -- running the formatter ----------------------------------------------------------------
def reformat(before: str, after: str, path: str, style: CodeStyle) -> str:
    """``after`` as the project's formatter writes it, when that formatter is installed and
    ``before`` already passed it (with black, where only the changed statements are
    formatted: those statements); otherwise ``after`` unchanged.

    Each formatter run costs about what a LibCST parse does, and one of the two texts often
    settles it alone: a ``before`` the formatter changes means ``after``, and so does an
    ``after`` it leaves as it is (or fails on), whatever ``before`` was. Which to ask first
    follows what the project's previous files showed (:class:`_Order`); the answer is the
    same in either order. With black, the changed statements alone are formatted first
    (formatter_regions.py): where that tells what formatting the whole file would, the
    whole file is not given to black at all.
    """
    if style.formatter is None or not style.known or before == after:
        return after
    order = _ORDERS.setdefault((style.formatter, style.root), _Order())
    if style.formatter == BLACK:
        def snippet(text: str, versions: str | None) -> str | None:
            return _black(text, path, style, versions)

        regions = reformat_regions(
            before, after, snippet, versions_known=bool(black_targets(style.black_options)), detect=black_versions
        )
        if regions is not None:
            order.saw(regions.clean)
            return regions.text
    run = _black if style.formatter == BLACK else _ruff
    if order.after_first():
        formatted = run(after, path, style)
        if formatted is None or formatted == after:
            order.saw(clean=True)  # (not asked: ``after`` passed, so ``before`` most likely did)
            return after  # the same answer whether ``before`` passed the formatter or not
        clean = run(before, path, style) == before
        order.saw(clean)
        return formatted if clean else after
    clean = run(before, path, style) == before
    order.saw(clean)
    if not clean:
        return after  # not formatter-clean before (or the formatter is not installed / failed)
    formatted = run(after, path, style)
    return formatted if formatted is not None else after


class _Order:
    """Which text :func:`reformat` asks the formatter about first, for one project: what its
    files showed so far (never the answer). Asking ``after`` first settles a file in one run
    when ``after`` passes; asking ``before`` first does when ``before`` fails (the files of a
    project formatted by another version of the formatter, often only some of them). With
    ``p`` the share of files whose ``before`` failed, ``after`` first costs about 1 + 3p
    formatter passes (a text the formatter changes takes it two), ``before`` first 2:
    ``after`` goes first while fewer than a third failed, ``before`` first on a project's
    first file."""

    def __init__(self) -> None:
        self.clean = 0
        self.unclean = 0

    def after_first(self) -> bool:
        return self.clean + self.unclean > 0 and 3 * self.unclean < self.clean + self.unclean

    def saw(self, clean: bool) -> None:
        if clean:
            self.clean += 1
        else:
            self.unclean += 1


#: (formatter, where its configuration is) → the order :func:`reformat` asks in
_ORDERS: dict[tuple[str | None, Path | None], _Order] = {}


def _black(text: str, path: str, style: CodeStyle, versions_assumed: str | None = None) -> str | None:
    """``text`` as black formats it with the project's settings; None when black is not
    installed or fails. ``versions_assumed`` ("oldest", "newest"), for a project that names
    no target versions: format as if the file needed every Python version black knows, or
    only the newest, instead of the versions black would read off ``text`` itself."""
    try:
        import black
    except ImportError:
        return None
    options = style.black_options
    try:
        versions = black_targets(options)
        if versions is None:
            return None
        if not versions and versions_assumed == "oldest":
            versions = set(black.TargetVersion)
        elif not versions and versions_assumed == "newest":
            versions = {max(black.TargetVersion, key=lambda v: v.value)}
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


def black_targets(options: dict[str, Any]) -> set[Any] | None:
    """The target versions black formats for with these settings: those ``target-version``
    names, else those it infers from ``[project] requires-python`` (as black does since
    23.1, with black's own reading of it; an older black infers none); empty when neither
    gives any (black then reads them off each file) or black is not installed; None for a
    name black does not know."""
    try:
        import black
    except ImportError:
        return set()
    named = options.get("target-version")
    if named:
        try:
            return {black.TargetVersion[str(v).upper()] for v in named}
        except KeyError:
            return None  # a name this black does not know: it would refuse to run
    requires = options.get("requires-python")
    if not requires or not isinstance(requires, str):
        return set()
    return set(_inferred_targets(requires))


@lru_cache(maxsize=64)
def _inferred_targets(requires: str) -> frozenset[Any]:
    """The target versions black infers from ``requires-python`` (asked for every snippet
    it formats: black's reading costs milliseconds)."""
    import black

    infer = getattr(getattr(black, "files", None), "infer_target_version", None)
    if infer is None:
        return frozenset()
    try:
        return frozenset(infer({"project": {"requires-python": requires}}) or ())
    except Exception:  # noqa: BLE001 - what black cannot read it infers nothing from
        return frozenset()


def black_versions(text: str) -> frozenset[str] | None:
    """The Python versions black reads off ``text`` when the project names none (what it
    formats the file for); None when black is not installed or cannot parse ``text``."""
    try:
        import black
    except ImportError:
        return None
    try:
        node = black.lib2to3_parse(text.lstrip())
        versions = black.detect_target_versions(node, future_imports=black.get_future_imports(node))
    except Exception:  # noqa: BLE001 - not read: the caller formats the whole file
        return None
    return frozenset(version.name for version in versions)


def _ruff(text: str, path: str, style: CodeStyle) -> str | None:
    binary = _ruff_binary()
    if binary is None:
        return None
    try:
        done = subprocess.run(
            [binary, "format", "--quiet", "--stdin-filename", os.path.abspath(path), "-"],
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
