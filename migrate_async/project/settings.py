"""``[tool.migrate-async]`` in pyproject.toml: defaults for the command-line options.

Found like the pytest configuration, walking up from the folder the command runs on: the
nearest pyproject.toml that has the table. Options given on the command line win.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..paths import display_path
from .config_files import ConfigError, read_toml, table_at
from .model import UsageProblem

TABLE = "migrate-async"
LIST_KEYS = ("select", "ignore", "exclude")
STRING_KEYS = ("target-version",)
BOOL_KEYS = ("all-files",)
VALID_KEYS = (*LIST_KEYS, *STRING_KEYS, *BOOL_KEYS)


@dataclass(frozen=True)
class Settings:
    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def _as_list(path: Path, key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise UsageProblem(f"{display_path(path)}: [tool.{TABLE}] {key} must be a string or a list of strings")


def load_settings(start: Path) -> Settings:
    start = start.resolve()
    if start.is_file():
        start = start.parent
    for base in (start, *start.parents):
        candidate = base / "pyproject.toml"
        if not candidate.is_file():
            continue
        try:
            document = read_toml(candidate)
        except ConfigError as exc:
            raise UsageProblem(str(exc)) from None
        table = table_at(document, "tool").get(TABLE)
        if table is None:
            continue
        if not isinstance(table, dict):
            raise UsageProblem(f"{display_path(candidate)}: [tool.{TABLE}] must be a table")
        values: dict[str, Any] = {}
        for key, value in table.items():
            if key not in VALID_KEYS:
                raise UsageProblem(
                    f"{display_path(candidate)}: [tool.{TABLE}] unknown key '{key}'; valid keys: {', '.join(VALID_KEYS)}"
                )
            if key in LIST_KEYS:
                values[key] = _as_list(candidate, key, value)
            elif key in STRING_KEYS:
                if not isinstance(value, str):
                    raise UsageProblem(f"{display_path(candidate)}: [tool.{TABLE}] {key} must be a string like \"1.5\"")
                values[key] = value
            else:
                if not isinstance(value, bool):
                    raise UsageProblem(f"{display_path(candidate)}: [tool.{TABLE}] {key} must be true or false")
                values[key] = value
        return Settings(candidate, values)
    return Settings()
