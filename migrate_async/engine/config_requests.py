"""The configuration settings the transforms asked for: merged per pytest configuration
(the policy), then applied once per configuration file (through project/config_files.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..paths import display_path, inside
from ..project import ProjectFacts, project_root
from ..project.config_files import ConfigError, edit_config
from ..textdiff import unified_diff
from ..transforms.transform import ConfigRequest, Note, Transform
from .files import OUTSIDE, atomic_write, write_failure
from .results import ConfigOutcome, RunResult

if TYPE_CHECKING:
    from .pipeline import RunOptions
    from .scan import ProjectPlan


def merge_requests(
    requests: Sequence[ConfigRequest], current: dict[str, Any]
) -> tuple[dict[str, Any], list[tuple[ConfigRequest, ConfigRequest]]]:
    """The settings to write for one configuration, and the pairs of requests that conflict.

    A ``weak`` request gives way to any strong one for the same key; two strong (or two
    weak) requests with different values conflict, and the key is left out: a conflict is
    a note, not a guess. Settings the configuration already has are left out too.
    """
    settings: dict[str, Any] = {}
    origin: dict[str, ConfigRequest] = {}
    conflicted: set[str] = set()
    conflicts: list[tuple[ConfigRequest, ConfigRequest]] = []
    strong_keys = {r.key for r in requests if not r.weak}
    for request in requests:
        if request.key in conflicted or (request.weak and request.key in strong_keys):
            continue
        previous = origin.get(request.key)
        if previous is not None and previous.value != request.value:
            conflicted.add(request.key)
            settings.pop(request.key, None)
            conflicts.append((previous, request))
            continue
        origin[request.key] = request
        settings[request.key] = request.value
    return {k: v for k, v in settings.items() if not _same_value(current.get(k), v)}, conflicts


def project_requests(
    project: ProjectFacts,
    requests: Iterable[ConfigRequest],
    names: set[str],
    transforms: Sequence[type[Transform]],
    whole: bool = True,
) -> list[ConfigRequest]:
    """What the files of a project asked for, then what the transforms found in it
    (``names``) ask for once per project (``whole``: see Transform.project_requests)."""
    result = list(requests)
    for transform in transforms:
        if transform.name in names:
            result.extend(transform.project_requests(project, whole))
    return result


def apply_config_requests(result: RunResult, plans: list[ProjectPlan], options: RunOptions) -> None:
    """Merge config requests per pytest configuration and apply them once."""
    for plan in plans:
        project = plan.project
        requests = project_requests(project, plan.requests, plan.found | set(plan.configured), options.transforms, plan.whole)
        if not requests:
            continue
        settings, conflicts = merge_requests(requests, project.config.values)
        where = project.config.path or project.config.create_at
        for previous, request in conflicts:
            result.notes.append(
                Note(
                    display_path(where) if where else "(config)", 1, 1, request.transform,
                    f"conflicting settings requested for {request.key}: "
                    f"{previous.value!r} ({previous.transform}: {previous.reason}) and "
                    f"{request.value!r} ({request.transform}: {request.reason}); set it by hand",
                    kind="config-conflict",
                )
            )
        if not settings or where is None:  # None: the configuration could not be read (reported)
            continue
        try:
            path, old, new = edit_config(project.config, settings)
        except ConfigError as exc:
            result.configs.append(ConfigOutcome(display_path(exc.path), error=str(exc)))
            continue
        display = display_path(path)
        if not inside(path, path.parent):  # its folder is the project's root: see project_root_of
            wanted = ", ".join(sorted(settings))
            result.configs.append(ConfigOutcome(display, error=f"{display}: {OUTSIDE}; not edited (set {wanted} by hand)"))
            continue
        outcome = ConfigOutcome(display, settings=settings, old=old, new=new, created=not path.exists())
        if old != new:
            outcome.diff = unified_diff(old, new, display, created=outcome.created)
            if options.write:
                try:
                    atomic_write(
                        path, new.encode("utf-8"), expected_old=None if outcome.created else old.encode("utf-8"),
                        within=project_root(project),
                    )
                    outcome.written = True
                except OSError as exc:
                    outcome.failed(write_failure(display, exc))
        result.configs.append(outcome)


def _same_value(current: Any, wanted: Any) -> bool:
    if current is None:
        return False
    if isinstance(wanted, bool):
        return str(current).strip().lower() == ("true" if wanted else "false")
    return str(current).strip() == str(wanted)
