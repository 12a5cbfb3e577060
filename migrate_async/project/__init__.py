"""The project model: what the run knows of the project before any file is rewritten.

- ``model``: the project root and pytest config (found the way pytest finds them), the
  plugin that runs each folder's async tests, the target pytest-asyncio version and mode,
  which files are test code; ``ProjectFacts`` for the project, ``FileFacts`` for one file.
- ``config_files``: reading and editing pytest's config files (tomlkit, configupdater).
- ``requirements``: the project's dependency declarations and pins (packaging).
- ``formatting``: the code style the project's formatter config asks for.
- ``suppressions``: the intent comments a project writes to keep the tool away.
- ``settings``: ``[tool.migrate-async]`` in pyproject.toml.
"""

from __future__ import annotations

from .model import (
    NEWEST_TARGET,
    OLDEST_TARGET,
    FileFacts,
    ProjectFacts,
    ProjectResolver,
    PytestConfig,
    UsageProblem,
    Version,
    fallback_root,
    format_version,
    holds_every_test,
    in_test_folder,
    is_test_code,
    parse_version,
    project_root,
    project_root_of,
    target_from_pins,
)

__all__ = [
    "NEWEST_TARGET",
    "OLDEST_TARGET",
    "FileFacts",
    "ProjectFacts",
    "ProjectResolver",
    "PytestConfig",
    "UsageProblem",
    "Version",
    "fallback_root",
    "format_version",
    "holds_every_test",
    "in_test_folder",
    "is_test_code",
    "parse_version",
    "project_root",
    "project_root_of",
    "target_from_pins",
]
