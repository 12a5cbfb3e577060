"""One file, from its bytes to its outcome: read, pre-filter, decode, parse, migrate, check, diff, write."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..project import FileFacts, project_root
from ..textdiff import unified_diff
from ..transforms import BY_NAME
from ..transforms.transform import Note, Transform
from .files import (
    SourceError,
    atomic_write,
    decode,
    output_is_valid,
    parse,
    write_failure,
)
from .prefilter import candidate_transforms, project_evidence
from .results import FileOutcome
from .source import LineMapper, migrate_tree


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
        module = parse(text, display)
    except SourceError as exc:
        outcome.error = str(exc)
        return outcome
    outcome.parsed = True
    try:
        result = migrate_tree(module, text, facts, chosen, notes_against="result" if write else "original")
    except RecursionError:
        outcome.error = f"{display}:1:1: too deeply nested to rewrite"
        return outcome
    except Exception as exc:  # noqa: BLE001 - a bug in a transform must not stop the run
        outcome.error = f"{display}:1:1: internal error in a transform ({type(exc).__name__}: {exc}); file left as it is"
        return outcome
    outcome.notes = result.notes
    outcome.config_requests = result.config_requests
    outcome.conftest_requests = result.conftest_requests
    outcome.edits = result.edits
    outcome.ran = result.ran
    if result.edits:
        # strings the edits introduced count as evidence too (asyncio-marker writes the
        # first ``mark.asyncio`` of a project whose tests were all unmarked)
        produced = b"\0".join(p for name in result.edits for p in BY_NAME[name].triggers.produces)
        outcome.evidence = sorted(set(outcome.evidence) | set(project_evidence(transforms, facts, produced)))
    outcome.unmet = _unmet_requests(transforms, facts, display, result.code, text, outcome.notes, against_result=write)
    if not result.changed(text):
        return outcome
    if not output_is_valid(result.code, text):
        outcome.error = f"{display}:1:1: internal error: the rewritten file would not parse; left as it is"
        outcome.notes = []
        outcome.unmet = []  # what it would still request is said of a text that is not written
        return outcome
    outcome.changed = True
    outcome.diff = unified_diff(text, result.code, display)
    if path.name == "conftest.py":
        outcome.texts = (text, result.code, encoding)
    if write:
        try:
            atomic_write(path, result.code.encode(encoding), expected_old=data, within=project_root(facts.project))
            outcome.written = True
        except OSError as exc:
            outcome.failed(write_failure(display, exc))
    return outcome


def _unmet_requests(
    transforms: Sequence[type[Transform]],
    facts: FileFacts,
    display: str,
    code: str,
    original: str,
    notes: Sequence[Note],
    against_result: bool,
) -> list[Note]:
    """What the migrated ``code`` still requests and does not meet itself
    (``Transform.unmet_requests``), as notes at lines of the text notes point into, for the
    engine to check against conftest.py files; a request in a test or fixture that already
    has a note is left to that note."""
    mapper: LineMapper | None = None
    noted = {n.line for n in notes}
    found: list[Note] = []
    for transform in transforms:
        requests = transform.unmet_requests(code, facts)
        if not requests:
            continue
        if mapper is None and not against_result and code != original:
            mapper = LineMapper(code, original)
        place = mapper.map if mapper is not None else (lambda line: line)
        for request in requests:
            first, last = place(request.span[0]), place(request.span[1])
            if any(first <= line <= last for line in noted):
                continue
            found.append(Note(display, place(request.line), request.column, transform.name, request.message,
                              kind="unmet-request", left=True))
    return found


def process_item(item: tuple[Path, str, FileFacts, tuple[str, ...], bool]) -> FileOutcome:
    return process_file(*item)
