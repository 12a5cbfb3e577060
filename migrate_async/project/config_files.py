"""Find, read and edit pytest configuration files the way pytest does.

TOML files are edited with tomlkit and INI/CFG files with configupdater, so comments,
key order and layout survive an edit.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit
import tomlkit.exceptions
from configupdater import Comment as IniComment
from configupdater import ConfigUpdater, Option
from configupdater.parser import (
    DuplicateOptionError,
    DuplicateSectionError,
    MissingSectionHeaderError,
)
from configupdater.parser import ParsingError as IniParsingError
from tomlkit.container import Container
from tomlkit.items import AoT, Comment, Table, Whitespace

from ..paths import display_path

try:
    import tomllib as _tomllib
except ImportError:  # Python 3.10
    _tomllib = None  # type: ignore[assignment]

# The order in which pytest looks at the files of one folder (pytest >= 9).
CONFIG_NAMES = (
    "pytest.toml",
    ".pytest.toml",
    "pytest.ini",
    ".pytest.ini",
    "pyproject.toml",
    "tox.ini",
    "setup.cfg",
)

# kinds of configuration
INI = "ini"  # pytest.ini / .pytest.ini [pytest], tox.ini [pytest], setup.cfg [tool:pytest]
TOML_INI_OPTIONS = "toml-ini-options"  # pyproject.toml [tool.pytest.ini_options]
TOML_NATIVE = "toml-native"  # pyproject.toml [tool.pytest], pytest.toml [pytest]
MISSING = "missing"  # no configuration found: edits create one


class ConfigError(Exception):
    """A configuration file that cannot be read or edited: ``path:line:col: reason``, the
    reason in our words and the path as the report shows paths."""

    def __init__(self, path: Path, reason: str, line: int = 1, column: int = 1) -> None:
        super().__init__(reason)
        self.path, self.reason, self.line, self.column = path, reason, line, column

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}:{self.column}: {self.reason}"


@dataclass(frozen=True)
class PytestConfig:
    """One pytest configuration: the file, the table or section, and its values."""

    path: Path | None
    kind: str
    section: str
    values: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    # Where a missing configuration would be created (pyproject.toml or pytest.ini).
    create_at: Path | None = None

    @property
    def display(self) -> str:
        if self.path is None:
            return "(no pytest configuration)"
        return f"{self.path} [{self.section}]"

    def get_str(self, key: str) -> str | None:
        value = self.values.get(key)
        if value is None:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return " ".join(str(v) for v in value)
        return str(value).strip()

    def get_list(self, key: str) -> list[str] | None:
        """A list-valued option (python_files, addopts): split like pytest does."""
        value = self.values.get(key)
        if value is None:
            return None
        if isinstance(value, list):
            return [str(v) for v in value]
        text = str(value)
        if key == "addopts":
            try:
                return shlex.split(text)
            except ValueError:
                return text.split()
        return text.split()

    def get_lines(self, key: str) -> list[str]:
        """A ``linelist`` option (filterwarnings, markers) as pytest reads it: a TOML list, or
        an INI value's lines, each stripped, blank ones left out."""
        value = self.values.get(key)
        if value is None:
            return []
        items = [str(item) for item in value] if isinstance(value, list) else str(value).splitlines()
        return [item.strip() for item in items if item.strip()]

    def get_bool(self, key: str) -> bool:
        value = self.values.get(key)
        if isinstance(value, bool):
            return value
        if value is None:
            return False
        return str(value).strip().lower() in {"1", "true", "yes", "on"}


def table_at(data: Any, *keys: str) -> dict[str, Any]:
    """The table at ``keys`` in a parsed TOML document, or {} when any step is missing or
    not a table: ``tool = "a string"`` is valid TOML, and it holds none of our tables."""
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def toml_data(text: str) -> dict[str, Any]:
    """What a TOML text means, as plain values (``tomlkit.parse(text).unwrap()``): a fresh
    value each call (the caller may change it). Raises what ``tomlkit.parse`` raises.

    Read with the standard library's ``tomllib`` where there is one (Python 3.11+): it is
    what pytest reads ``pyproject.toml`` with, and some twenty times faster than tomlkit,
    which matters because a run reads one ``pyproject.toml`` for the pytest configuration,
    the code style, the requirements, the Python versions and the plugins. A text it
    rejects, and every text on Python 3.10, is read by tomlkit, as before (one parse of
    each text however often it is asked for), whose error says where. Only what reads a
    text asks here: an edit parses the text it changes with tomlkit for itself."""
    return _read(text)[1]


def _read(text: str) -> tuple[str, dict[str, Any]]:
    """(which reader read the text: ``"tomllib"`` or ``"tomlkit"``, what it means)."""
    if _tomllib is not None:
        try:
            return "tomllib", _tomllib.loads(text)
        except (_tomllib.TOMLDecodeError, RecursionError):
            pass  # (arrays or inline tables nested some hundreds deep: tomllib recurses, tomlkit says where)
    document = _PARSED.get(text)
    if document is None:
        document = tomlkit.parse(text)
        if len(_PARSED) >= _PARSED_KEPT:
            del _PARSED[next(iter(_PARSED))]
        _PARSED[text] = document
    return "tomlkit", document.unwrap()


#: text → its document, for toml_data's tomlkit reading (the latest few texts)
_PARSED: dict[str, tomlkit.TOMLDocument] = {}
_PARSED_KEPT = 32


def read_toml(path: Path) -> dict[str, Any]:
    """The file's TOML data (:func:`toml_data`); ConfigError when it cannot be read."""
    text = _read_text(path)
    try:
        return toml_data(text)
    except tomlkit.exceptions.ParseError as exc:
        raise ConfigError(path, "cannot read: not valid TOML", exc.line or 1, exc.col + 1) from None  # tomlkit counts columns from 0


def _read_ini(path: Path) -> ConfigUpdater:
    text = _read_text(path)
    updater = ConfigUpdater()
    try:
        updater.read_string(text)
    except DuplicateOptionError as exc:
        raise ConfigError(path, f"cannot read: {exc.option!r} is set twice in [{exc.section}]", exc.lineno or 1) from None
    except DuplicateSectionError as exc:
        raise ConfigError(path, f"cannot read: [{exc.section}] appears twice", exc.lineno or 1) from None
    except MissingSectionHeaderError as exc:
        raise ConfigError(path, "cannot read: not valid INI (a line before the first [section] header)", exc.lineno or 1) from None
    except IniParsingError as exc:
        line = exc.errors[0][0] if exc.errors else 1
        raise ConfigError(path, "cannot read: not valid INI (a line that is neither a [section], an option nor a comment)", line) from None
    except Exception:  # noqa: BLE001 - whatever else configupdater rejects is still a file we cannot read
        raise ConfigError(path, "cannot read: not valid INI") from None
    return updater


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(path, "cannot read: not UTF-8") from None
    except OSError as exc:
        raise ConfigError(path, f"cannot read: {exc.strerror or 'input/output error'}") from None


def _ini_values(updater: ConfigUpdater, section: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for option in updater[section].iter_options():
        values[option.key] = option.value if option.value is not None else ""
    return values


def load_config_file(path: Path) -> PytestConfig | None:
    """The pytest configuration held by ``path``, or None when pytest would pass it by."""
    name = path.name
    if name in ("pytest.toml", ".pytest.toml"):
        doc = read_toml(path)
        if "pytest" in doc and not isinstance(doc["pytest"], dict):
            raise ConfigError(path, "[pytest] must be a table")
        return PytestConfig(path, TOML_NATIVE, "pytest", table_at(doc, "pytest"))
    if name in ("pytest.ini", ".pytest.ini"):
        updater = _read_ini(path)
        values = _ini_values(updater, "pytest") if updater.has_section("pytest") else {}
        return PytestConfig(path, INI, "pytest", values)
    if name == "pyproject.toml":
        doc = read_toml(path)
        tool = table_at(doc, "tool")
        if "pytest" not in tool:
            return None
        plain = tool["pytest"]
        if not isinstance(plain, dict):
            raise ConfigError(path, "[tool.pytest] must be a table")
        if "ini_options" in plain:
            if not isinstance(plain["ini_options"], dict):
                raise ConfigError(path, "[tool.pytest.ini_options] must be a table")
            return PytestConfig(path, TOML_INI_OPTIONS, "tool.pytest.ini_options", dict(plain["ini_options"]))
        return PytestConfig(path, TOML_NATIVE, "tool.pytest", plain)
    if name == "tox.ini":
        updater = _read_ini(path)
        if updater.has_section("pytest"):
            return PytestConfig(path, INI, "pytest", _ini_values(updater, "pytest"))
        return None
    if name == "setup.cfg":
        updater = _read_ini(path)
        if updater.has_section("tool:pytest"):
            return PytestConfig(path, INI, "tool:pytest", _ini_values(updater, "tool:pytest"))
        return None
    return None


def find_config(
    directory: Path,
    fallback_root: Path | None = None,
    load: Callable[[Path], PytestConfig | None] | None = None,
    nearest: dict[Path, PytestConfig | None] | None = None,
) -> PytestConfig:
    """Find the configuration pytest would use when started on ``directory``.

    When none exists, the result says where one would be created: the nearest
    pyproject.toml (a ``[tool.pytest.ini_options]`` table is added), else a pytest.ini
    beside the nearest ``.git``/``setup.py``, else in ``fallback_root`` or ``directory``.
    ``load`` reads a candidate file (load_config_file; a caller looking up many folders
    passes one that reads each file once, and ``nearest``, which this fills: resolved
    folder → the configuration file found at or above it, None for none, so that the
    folders of a tree share their walk up).
    """
    load = load or load_config_file
    directory = directory.resolve()
    walked: list[Path] = []
    found: PytestConfig | None = None
    for base in (directory, *directory.parents):
        if nearest is not None and base in nearest:
            found = nearest[base]
            break
        walked.append(base)
        found = _config_in(base, load)
        if found is not None:
            break
    if nearest is not None:
        nearest.update(dict.fromkeys(walked, found))
    if found is not None:
        return found
    for base in (directory, *directory.parents):
        if (base / "pyproject.toml").is_file():
            return PytestConfig(None, MISSING, "", {}, create_at=base / "pyproject.toml")
        if (base / ".git").exists() or (base / "setup.py").is_file():
            return PytestConfig(None, MISSING, "", {}, create_at=base / "pytest.ini")
    root = (fallback_root or directory).resolve()
    if root.is_file():
        root = root.parent
    return PytestConfig(None, MISSING, "", {}, create_at=root / "pytest.ini")


def _config_in(base: Path, load: Callable[[Path], PytestConfig | None]) -> PytestConfig | None:
    """The configuration of the first of CONFIG_NAMES in ``base`` that holds one for pytest."""
    for name in CONFIG_NAMES:
        candidate = base / name
        if candidate.is_file():
            config = load(candidate)
            if config is not None:
                return config
    return None


# ---------------------------------------------------------------------------------------
# editing


def _insertion_point(lines: Sequence[tuple[str, str]], key: str, ends_file: bool) -> int:
    """Where a new key goes among a table's lines (``("key", name)``, ``("comment", "")``,
    ``("blank", "")``, ``("table", name)``): after the last key of its family
    (``asyncio_*`` next to ``asyncio_mode``), else after the last key; after the comments
    right below that key when a blank line or the end of the file follows them (they are
    about it), before them when a key or a header follows (they are about that)."""
    keys = [i for i, (kind, _) in enumerate(lines) if kind == "key"]
    if not keys:
        return 0
    family = key.split("_")[0] + "_"
    related = [i for i in keys if lines[i][1].startswith(family)]
    at = (related or keys)[-1] + 1
    end = at
    while end < len(lines) and lines[end][0] == "comment":
        end += 1
    if end > at and ((end < len(lines) and lines[end][0] == "blank") or (end == len(lines) and ends_file)):
        return end
    return at


def _ini_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _read_keeping_newlines(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def _edit_ini(text: str, section: str, settings: dict[str, Any]) -> str:
    updater = ConfigUpdater()
    updater.read_string(text)
    if not updater.has_section(section):
        if text and not text.endswith("\n"):
            updater = ConfigUpdater()
            updater.read_string(text + "\n")
        has_content = bool(text.strip())
        updater.add_section(section)
        target = updater[section]
        if has_content and not text.endswith("\n\n"):
            target.add_before.space(1)
        for key, value in settings.items():
            target.set(key, _ini_text(value))
        return str(updater)
    target = updater[section]
    ends_file = target is updater.section_blocks()[-1]
    for key, value in settings.items():
        if key in target:
            target[key].value = _ini_text(value)
            continue
        blocks = list(target.iter_blocks())
        at = _insertion_point([_ini_line(block) for block in blocks], key, ends_file)
        if at:
            blocks[at - 1].add_after.option(key, _ini_text(value))
        elif blocks:
            # no option yet: the new one goes right under the header
            blocks[0].add_before.option(key, _ini_text(value))
        else:
            target.set(key, _ini_text(value))
    return str(updater)


def _ini_line(block: Any) -> tuple[str, str]:
    if isinstance(block, Option):
        return "key", block.key
    return ("comment" if isinstance(block, IniComment) else "blank"), ""


def _toml_value(value: Any, native: bool) -> Any:
    if native:
        return value
    return _ini_text(value)


def _edit_toml(text: str, dotted_table: str, settings: dict[str, Any], native: bool) -> str:
    """``settings`` set in the table ``dotted_table``, which may come in several parts
    (tables out of order, dotted keys, a super-table left implicit) or not exist yet."""
    doc = tomlkit.parse(text)
    path = dotted_table.split(".")
    values = {key: _toml_value(value, native) for key, value in settings.items()}
    levels = _tables_at(doc, path)
    table = _holding_table(levels[-1]) if len(levels) == len(path) else None
    if table is None:
        _add_table(doc, path, levels, values)
    else:
        ends_file = _ends(doc, table)
        for key, value in values.items():
            _set_toml_key(table, key, value, ends_file)
    new = tomlkit.dumps(doc)
    _check_toml(text, new, path, values)
    return new


def _body(owner: Container | Table) -> list[tuple[Any, Any]]:
    return owner.body if isinstance(owner, Container) else owner.value.body


def _tables_at(doc: tomlkit.TOMLDocument, path: Sequence[str]) -> list[list[Table]]:
    """For each leading part of ``path`` the document has, the tables that hold it, in the
    order of the file."""
    levels: list[list[Table]] = []
    owners: list[Container | Table] = [doc]
    for name in path:
        owners = [item for owner in owners for key, item in _body(owner) if key is not None and key.key == name and isinstance(item, Table)]
        if not owners:
            break
        levels.append(owners)
    return levels


def _holding_table(parts: list[Table]) -> Table | None:
    """The part of a table its keys go in: the one with its header, else one its dotted
    keys make."""
    for part in parts:
        if not part.is_super_table():
            return part
    for part in parts:
        if any(key is not None and not isinstance(item, (Table, AoT)) for key, item in _body(part)):
            return part
    return None


def _ends(owner: Container | Table, target: Table) -> bool:
    """Whether nothing but blank lines follows ``target`` in ``owner``."""
    items = [item for _, item in _body(owner) if not isinstance(item, Whitespace)]
    return bool(items) and (items[-1] is target or (isinstance(items[-1], Table) and _ends(items[-1], target)))


def _set_toml_key(table: Table, key: str, value: Any, ends_file: bool) -> None:
    if key in table:
        table[key] = value
        return
    body = table.value.body
    at = _insertion_point([_toml_line(k, item) for k, item in body], key, ends_file)
    if at < len(body):
        table.value._insert_at(at, key, value)
    else:
        table.append(key, value)


def _toml_line(key: Any, item: Any) -> tuple[str, str]:
    if isinstance(item, (Table, AoT)):
        return "table", str(key)
    if key is not None:
        return "key", key.key
    return ("comment" if isinstance(item, Comment) else "blank"), ""


def _add_table(doc: tomlkit.TOMLDocument, path: Sequence[str], levels: list[list[Table]], values: dict[str, Any]) -> None:
    """A new table after the last part of its nearest parent the file has (after the
    other ``[tool.*]`` tables), or at the end, a blank line on each side; comments right
    above the header that follows stay with that header."""
    leaf = tomlkit.table()
    for key, value in values.items():
        leaf.append(key, value)
    item = leaf
    for name in reversed(path[len(levels) + 1 :]):
        outer = tomlkit.table(is_super_table=True)
        outer.append(name, item)
        item = outer
    parent: Container | Table = levels[-1][-1] if levels else doc
    if parent is not doc and not _ends(doc, parent):
        last = _last_table(parent)
        moved = []
        while last.value.body and isinstance(last.value.body[-1][1], Comment):
            moved.insert(0, last.value.body.pop()[1])
        if moved or not isinstance(_following(doc, parent)[1], Whitespace):
            leaf.add(tomlkit.nl())
        for comment in moved:
            leaf.add(comment)
    parent.append(path[len(levels)], item)


def _following(owner: Container | Table, target: Table) -> tuple[bool, Any]:
    """Whether ``owner`` holds ``target``, and the item the file has right after it (a
    dotted key's table is followed by a blank line of its parent's; None at the end)."""
    body = _body(owner)
    for index, (_, item) in enumerate(body):
        if item is target:
            found, after = True, None
        elif isinstance(item, Table):
            found, after = _following(item, target)
        else:
            continue
        if found:
            if after is None and index + 1 < len(body):
                after = body[index + 1][1]
            return True, after
    return False, None


def _last_table(table: Table) -> Table:
    """The table whose lines come last in ``table``'s (itself, or its last subtable's)."""
    items = [item for _, item in table.value.body if not isinstance(item, Whitespace)]
    return _last_table(items[-1]) if items and isinstance(items[-1], Table) else table


def _check_toml(old: str, new: str, path: Sequence[str], values: dict[str, Any]) -> None:
    """The edit must mean the old document plus ``values``; else it is not made."""
    reader, expected = _read(old)
    node = expected
    for name in path:
        node = node.setdefault(name, {})
    node.update(values)
    try:
        # (read as the old text was: an edit pytest's reader rejects is no edit)
        same = _read(new) == (reader, expected)
    except tomlkit.exceptions.ParseError:
        same = False
    if not same:
        raise _EditRefused


class _EditRefused(Exception):
    """An edit that would change more than the settings asked for."""


def edit_config(config: PytestConfig, settings: dict[str, Any]) -> tuple[Path, str, str]:
    """Apply ``settings`` to ``config``.

    Returns (path, old text, new text); old text is "" for a file that does not exist yet.
    Raises ConfigError when the file cannot be read, or edited without changing more than
    the settings.
    """
    where = config.path or config.create_at
    assert where is not None
    try:
        path, old, new = _edit(config, settings)
    except ConfigError:
        raise
    except UnicodeDecodeError:
        raise ConfigError(where, "cannot edit: not UTF-8") from None
    except OSError as exc:
        raise ConfigError(where, f"cannot edit: {exc.strerror or 'input/output error'}") from None
    except Exception:  # noqa: BLE001 - a layout the libraries cannot edit, or an edit _check_toml refused
        section = config.section or ("tool.pytest.ini_options" if where.name == "pyproject.toml" else "pytest")
        wanted = ", ".join(f"{key} = {_ini_text(value)}" for key, value in settings.items())
        raise ConfigError(where, f"cannot edit this file safely; add {wanted} to [{section}] by hand") from None
    if "\r\n" in old:
        # the libraries write "\n"; keep a CRLF file CRLF throughout
        new = new.replace("\r\n", "\n").replace("\n", "\r\n")
    return path, old, new


def _edit(config: PytestConfig, settings: dict[str, Any]) -> tuple[Path, str, str]:
    if config.kind == MISSING:
        target = config.create_at
        assert target is not None
        if target.name == "pyproject.toml":
            old = _read_keeping_newlines(target)
            new = _edit_toml(old, "tool.pytest.ini_options", settings, native=False)
            return target, old, new
        old = _read_keeping_newlines(target) if target.exists() else ""
        return target, old, _edit_ini(old, "pytest", settings)
    assert config.path is not None
    old = _read_keeping_newlines(config.path)
    if config.kind == INI:
        new = _edit_ini(old, config.section, settings)
    elif config.kind == TOML_INI_OPTIONS:
        new = _edit_toml(old, config.section, settings, native=False)
    else:
        new = _edit_toml(old, config.section, settings, native=True)
    return config.path, old, new
