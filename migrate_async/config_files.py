"""Find, read and edit pytest configuration files the way pytest does.

TOML files are edited with tomlkit and INI/CFG files with configupdater, so comments,
key order and layout survive an edit.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit
import tomlkit.exceptions
from configupdater import ConfigUpdater
from configupdater.parser import ParsingError as IniParsingError

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
    """A configuration file that cannot be read or edited."""


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

    def get_bool(self, key: str) -> bool:
        value = self.values.get(key)
        if isinstance(value, bool):
            return value
        if value is None:
            return False
        return str(value).strip().lower() in {"1", "true", "yes", "on"}


def _read_toml(path: Path) -> tomlkit.TOMLDocument:
    try:
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.ParseError) as exc:
        raise ConfigError(f"{path}: cannot read TOML: {exc}") from exc


def _read_ini(path: Path) -> ConfigUpdater:
    updater = ConfigUpdater()
    try:
        updater.read_string(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, IniParsingError, Exception) as exc:  # noqa: BLE001
        raise ConfigError(f"{path}: cannot read INI: {str(exc).splitlines()[0]}") from exc
    return updater


def _ini_values(updater: ConfigUpdater, section: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for option in updater[section].iter_options():
        values[option.key] = option.value if option.value is not None else ""
    return values


def load_config_file(path: Path) -> PytestConfig | None:
    """The pytest configuration held by ``path``, or None when pytest would pass it by."""
    name = path.name
    if name in ("pytest.toml", ".pytest.toml"):
        doc = _read_toml(path)
        table = doc.get("pytest", {})
        return PytestConfig(path, TOML_NATIVE, "pytest", dict(table.unwrap() if hasattr(table, "unwrap") else table))
    if name in ("pytest.ini", ".pytest.ini"):
        updater = _read_ini(path)
        values = _ini_values(updater, "pytest") if updater.has_section("pytest") else {}
        return PytestConfig(path, INI, "pytest", values)
    if name == "pyproject.toml":
        doc = _read_toml(path)
        tool = doc.get("tool", {})
        pytest_table = tool.get("pytest") if hasattr(tool, "get") else None
        if pytest_table is None:
            return None
        plain = pytest_table.unwrap() if hasattr(pytest_table, "unwrap") else dict(pytest_table)
        if "ini_options" in plain:
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


def find_config(directory: Path, fallback_root: Path | None = None) -> PytestConfig:
    """Find the configuration pytest would use when started on ``directory``.

    When none exists, the result says where one would be created: the nearest
    pyproject.toml (a ``[tool.pytest.ini_options]`` table is added), else a pytest.ini
    beside the nearest ``.git``/``setup.py``, else in ``fallback_root`` or ``directory``.
    """
    directory = directory.resolve()
    for base in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            candidate = base / name
            if candidate.is_file():
                config = load_config_file(candidate)
                if config is not None:
                    return config
    for base in (directory, *directory.parents):
        if (base / "pyproject.toml").is_file():
            return PytestConfig(None, MISSING, "", {}, create_at=base / "pyproject.toml")
        if (base / ".git").exists() or (base / "setup.py").is_file():
            return PytestConfig(None, MISSING, "", {}, create_at=base / "pytest.ini")
    root = (fallback_root or directory).resolve()
    if root.is_file():
        root = root.parent
    return PytestConfig(None, MISSING, "", {}, create_at=root / "pytest.ini")


# ---------------------------------------------------------------------------------------
# editing


def _anchor(existing: list[str], key: str) -> int:
    """Where a new key goes: after the last key of its family (``asyncio_*`` next to
    ``asyncio_mode``), else after the last key."""
    family = key.split("_")[0] + "_"
    related = [i for i, name in enumerate(existing) if name.startswith(family)]
    return related[-1] if related else len(existing) - 1


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
    for key, value in settings.items():
        if key in target:
            target[key].value = _ini_text(value)
            continue
        options = list(target.iter_options())
        blocks = list(target.iter_blocks())
        if options:
            options[_anchor([o.key for o in options], key)].add_after.option(key, _ini_text(value))
        elif blocks:
            # an empty section followed by blank lines: the option goes right under the header
            blocks[0].add_before.option(key, _ini_text(value))
        else:
            target.set(key, _ini_text(value))
    return str(updater)


def _toml_value(value: Any, native: bool) -> Any:
    if native:
        return value
    return _ini_text(value)


def _edit_toml(text: str, dotted_table: str, settings: dict[str, Any], native: bool) -> str:
    doc = tomlkit.parse(text)
    parts = dotted_table.split(".")
    container: Any = doc
    for i, part in enumerate(parts):
        if part not in container:
            if i == len(parts) - 1:
                new_table = tomlkit.table()
            else:
                new_table = tomlkit.table(is_super_table=True)
            container.append(part, new_table)
        container = container[part]
    for key, value in settings.items():
        value = _toml_value(value, native)
        if key in container:
            container[key] = value
            continue
        # Insert after the table's last key, not at its end: trailing blank lines and
        # comments belong to what follows the table.
        body = getattr(getattr(container, "value", None), "body", None)
        keys = [k for k, _ in body if k is not None] if body is not None else []
        if keys and hasattr(container.value, "_insert_after"):
            container.value._insert_after(keys[_anchor([str(k) for k in keys], key)], key, value)
        else:
            container[key] = value
    return tomlkit.dumps(doc)


def edit_config(config: PytestConfig, settings: dict[str, Any]) -> tuple[Path, str, str]:
    """Apply ``settings`` to ``config``.

    Returns (path, old text, new text); old text is "" for a file that does not exist yet.
    """
    path, old, new = _edit(config, settings)
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
