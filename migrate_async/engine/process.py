"""One file, from its bytes to its outcome: read, pre-filter, decode, parse, migrate, check, diff
(written later, after the check of the whole run's planned result: pipeline.py)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from ..project import FileFacts, project_root
from ..pytest_model.providers import cst_module_facts
from ..textdiff import unified_diff
from ..transforms import BY_NAME
from .files import SourceError, decode, output_is_valid, parse, python_syntax_error
from .planned_reading import read_planned
from .prefilter import candidate_transforms, idle_transforms, project_evidence
from .results import FileOutcome
from .source import migrate_tree


def process_file(
    path: Path,
    display: str,
    facts: FileFacts,
    transform_names: Sequence[str],
    write: bool,
) -> FileOutcome:
    outcome = FileOutcome(path=display)
    transforms = [BY_NAME[name] for name in transform_names]
    try:
        data = path.read_bytes()
    except OSError as exc:
        outcome.error = f"{display}:1:1: cannot read: {exc.strerror or 'input/output error'}"
        return outcome
    outcome.evidence = project_evidence(transforms, facts, data)
    chosen = candidate_transforms(data, facts, transforms)
    if not chosen:
        return outcome
    try:
        text, encoding = decode(data, display)
        idle = idle_transforms(text, facts, chosen)
        if idle is not None and len(idle) == len(chosen):
            # nothing to do, read with ast alone: a file only LibCST cannot read (500 terms
            # of one expression: too deep for it) is not reported as skipped, as it needs nothing
            return outcome
        module = parse(text, display)
    except SourceError as exc:
        outcome.error = str(exc)
        return outcome
    if PARSE_LOG:
        _log_parse(display)
    outcome.parsed = True
    try:
        result = migrate_tree(
            module, text, facts, chosen, notes_against="result" if write else "original", idle=idle or frozenset()
        )
    except RecursionError:
        outcome.error = f"{display}:1:1: too deeply nested to rewrite"
        return outcome
    except Exception as exc:  # noqa: BLE001 - a bug in a transform must not stop the run
        outcome.error = _rejected(text, display) or (
            f"{display}:1:1: internal error in a transform ({type(exc).__name__}: {exc}); file left as it is"
        )
        return outcome
    outcome.notes = result.notes
    outcome.config_requests = result.config_requests
    outcome.conftest_requests = result.conftest_requests
    outcome.requirement_requests = result.requirement_requests
    outcome.edits = result.edits
    outcome.ran = result.ran
    if result.edits:
        # strings the edits introduced count as evidence too (asyncio-marker writes the
        # first ``mark.asyncio`` of a project whose tests were all unmarked)
        produced = b"\0".join(p for name in result.edits for p in BY_NAME[name].triggers.produces)
        outcome.evidence = sorted(set(outcome.evidence) | set(project_evidence(transforms, facts, produced)))
    if not result.changed(text):
        return outcome
    if not output_is_valid(result.code, text):
        outcome.error = _rejected(text, display) or (
            f"{display}:1:1: internal error: the rewritten file would not parse; left as it is"
        )
        outcome.notes = []
        return outcome
    outcome.changed = True
    outcome.diff = unified_diff(text, result.code, display)
    # written after the whole run's planned result is checked (pipeline.py, writes.py)
    outcome.texts = (text, result.code, encoding)
    outcome.planned_reading = read_planned(result.code, facts.project, transforms)
    root = project_root(facts.project)
    outcome.root = str(root) if root is not None else None
    if result.tree is not None:
        outcome.provides = (cst_module_facts(module), cst_module_facts(result.tree))
    return outcome


def _rejected(text: str, display: str) -> str | None:
    """The syntax error Python finds in the file as it is, when it finds one: LibCST's
    parser lets a few through that its own node checks reject (``b"a" "b"``, a bare
    ``except:`` before another handler), and its parse here leaves those checks out
    (cstkit.parsing), so such a file is told as Python tells it, not as our failure."""
    found = python_syntax_error(text, compiled=True)
    if found is None:
        return None
    line, column, message = found
    return f"{display}:{line}:{column}: syntax error: {message}"


#: a file to which the path of every file parsed with LibCST is appended (for measuring the
#: pre-filters; never part of the output): ``MIGRATE_ASYNC_PARSE_LOG=/tmp/parsed.txt``
PARSE_LOG = os.environ.get("MIGRATE_ASYNC_PARSE_LOG")


def _log_parse(display: str) -> None:
    with open(PARSE_LOG, "a", encoding="utf-8") as log:  # type: ignore[arg-type]
        log.write(display + "\n")


def process_item(item: tuple[Path, str, FileFacts, tuple[str, ...], bool]) -> FileOutcome:
    return process_file(*item)
