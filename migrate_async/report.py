"""Rendering a run: unified diffs (stdout), notes/errors/summary (stderr), JSON.

Notes that repeat are grouped in the text output, the way ruff's ``--statistics`` counts
diagnostics by rule: a sort of note (its transform and kind) given more than
:data:`FOLD_OVER` times shows its first :data:`SHOWN` in full and one line for the rest,
and a run with more than one note ends with a table of the notes by kind (count,
transform, kind, first place). A note that is left unfinished is never folded away: each is
listed again, place by place, above the summary line, which counts them. ``--all-notes``
prints every note; ``--format json`` and ``--format github`` always give every one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import IO, Any, NamedTuple

from .engine import RunResult
from .project import Version, format_version
from .transforms.requests import LEFT, Note

#: a sort of note given more than this many times is folded in the text output...
FOLD_OVER = 3
#: ...to its first this many, and one line that says how many more there are
SHOWN = 2

RESET = "\033[0m"
COLOURS = {"+": "\033[32m", "-": "\033[31m", "@": "\033[36m", "header": "\033[1m"}


def colour_diff(diff: str) -> str:
    out = []
    for line in diff.splitlines(keepends=True):
        if line.startswith(("+++", "---")):
            out.append(COLOURS["header"] + line.rstrip("\n") + RESET + "\n")
        elif line[:1] in ("+", "-", "@"):
            out.append(COLOURS[line[0]] + line.rstrip("\n") + RESET + "\n")
        else:
            out.append(line)
    return "".join(out)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


class KindCount(NamedTuple):
    """One sort of note in a run: how many, and the first of them (in output order)."""

    transform: str
    kind: str
    count: int
    left: int  # how many of them are left unfinished
    first: Note


def kind_counts(notes: Sequence[Note]) -> list[KindCount]:
    """The run's notes counted by transform and kind, most frequent first (then by name)."""
    groups: dict[tuple[str, str], list[Note]] = {}
    for note in notes:
        groups.setdefault((note.transform, note.kind), []).append(note)
    counts = [
        KindCount(transform, kind, len(group), sum(1 for n in group if n.left), group[0])
        for (transform, kind), group in groups.items()
    ]
    return sorted(counts, key=lambda c: (-c.count, c.transform, c.kind))


def fold_notes(notes: Sequence[Note]) -> tuple[list[Note], list[tuple[KindCount, int]]]:
    """The notes to print in full, in order, and for each folded sort of note how many are
    not printed. A note without a kind, or left unfinished, is always printed."""
    counts = {(c.transform, c.kind): c for c in kind_counts(notes)}
    shown: list[Note] = []
    seen: dict[tuple[str, str], int] = {}
    hidden: dict[tuple[str, str], int] = {}
    for note in notes:
        key = (note.transform, note.kind)
        folding = note.kind and not note.left and counts[key].count - counts[key].left > FOLD_OVER
        if folding and seen.get(key, 0) >= SHOWN:
            hidden[key] = hidden.get(key, 0) + 1
            continue
        if folding:
            seen[key] = seen.get(key, 0) + 1
        shown.append(note)
    return shown, [(counts[key], count) for key, count in hidden.items()]


def summary_line(result: RunResult, command: str) -> str:
    changed = len(result.changed_files)
    created = len(result.created_files)
    verb = "changed" if command == "apply" else "would change"
    left = sum(1 for n in result.all_notes if n.left)
    notes = len(result.all_notes) - left
    skipped = len(result.all_errors)
    parts = [
        f"{_plural(changed, 'file')} {verb}" + (f" ({created} created)" if created else ""),
        f"{notes} need{'s' if notes == 1 else ''} review",
        *([f"{left} {LEFT}"] if left else []),
        f"{skipped} skipped",
    ]
    line = ", ".join(parts)
    if result.left_out:
        line += f" ({_plural(result.left_out, 'file')} left out as not test code; --all-files includes them)"
    if result.left_out_with_fixtures:
        shown = result.left_out_with_fixtures[:10]
        more = len(result.left_out_with_fixtures) - len(shown)
        line += (
            "\nleft out as not test code, though they define fixtures or take event_loop: "
            + ", ".join(shown) + (f" and {more} more" if more else "")
        )
    return line


def write_text(
    result: RunResult, command: str, out: IO[str], err: IO[str], colour: bool, colour_err: bool, all_notes: bool = False
) -> None:
    created = set(result.created_files)
    if command == "diff":
        for outcome in result.files:
            if outcome.changed:
                out.write(colour_diff(outcome.diff) if colour else outcome.diff)
        for config in result.configs:
            if config.diff:
                out.write(colour_diff(config.diff) if colour else config.diff)
    elif command == "check":
        for path in result.changed_files:
            out.write(f"{'would create' if path in created else 'would change'}: {path}\n")
    elif command == "apply":
        for path in result.changed_files:
            err.write(f"{'created' if path in created else 'changed'}: {path}\n")
    for error in result.all_errors:
        err.write(_dim(f"{error}", "\033[31m", colour_err) + "\n")
    notes = result.all_notes
    shown, folded = (list(notes), []) if all_notes else fold_notes(notes)
    for note in shown:
        err.write(_dim(note.format(), "\033[31m" if note.left else "\033[33m", colour_err) + "\n")
    for group, hidden in folded:
        first = group.first
        err.write(
            f"... {hidden} more {group.transform} [{group.kind}] notes like the one at "
            f"{first.path}:{first.line}:{first.column} not shown (--all-notes shows every note)\n"
        )
    for line in result.left_alone + result.project_wide:
        err.write(line + "\n")
    for line in result.targets:
        if not line.endswith("(default)"):
            err.write(line + "\n")
    if len(notes) > 1:
        err.write(statistics_text(kind_counts(notes)))
    left = [n for n in notes if n.left]
    if left:
        err.write(f"{LEFT}, the suite would still fail here:\n")
        for note in left:
            err.write(_dim(f"  {note.path}:{note.line}:{note.column}: {note.transform} [{note.kind}]", "\033[31m", colour_err) + "\n")
    err.write(summary_line(result, command) + "\n")


def statistics_text(counts: Sequence[KindCount]) -> str:
    """The notes by kind, as a table: count, transform, kind, first place, and how many of
    them are left unfinished."""
    rows = [
        (str(c.count), c.transform, c.kind or "-", f"{c.first.path}:{c.first.line}:{c.first.column}",
         f"{c.left} {LEFT}" if c.left else "")
        for c in counts
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["notes by kind (count, transform, kind, first place):"]
    for row in rows:
        cells = [row[0].rjust(widths[0]), row[1].ljust(widths[1]), row[2].ljust(widths[2]), row[3].ljust(widths[3]), row[4]]
        lines.append(("  " + "  ".join(cells)).rstrip())
    return "\n".join(lines) + "\n"


def _dim(text: str, code: str, colour: bool) -> str:
    return f"{code}{text}{RESET}" if colour else text


def as_json(result: RunResult, command: str, target: Version) -> dict[str, Any]:
    files = []
    for outcome in result.files:
        if not (outcome.changed or outcome.notes or outcome.error):
            continue
        files.append(
            {
                "path": outcome.path,
                "changed": outcome.changed,
                "written": outcome.written,
                "transforms": dict(sorted(outcome.edits.items())),
                "edits": sum(outcome.edits.values()),
                "notes": [_note(n) for n in outcome.notes],
                "error": outcome.error,
                "diff": outcome.diff if command == "diff" else None,
            }
        )
    configs = [
        {
            "path": c.path,
            "changed": bool(c.diff),
            "created": c.created and bool(c.diff),
            "written": c.written,
            "settings": c.settings,
            "error": c.error,
            "diff": c.diff if command == "diff" else None,
        }
        for c in result.configs
    ]
    return {
        "command": command,
        "target_version": format_version(target),
        "files": files,
        "config_files": configs,
        "created": result.created_files,
        "notes": [_note(n) for n in result.notes],
        "errors": list(result.errors) + [c.error for c in result.configs if c.error],
        "left_alone": list(result.left_alone),
        "targets": list(result.targets),
        "project_wide": list(result.project_wide),
        "left_out_with_fixtures": list(result.left_out_with_fixtures),
        "totals": {
            "files_considered": result.considered,
            "files_left_out": result.left_out,
            "files_changed": len(result.changed_files),
            "files_created": len(result.created_files),
            "edits": sum(sum(f.edits.values()) for f in result.files),
            "notes": len(result.all_notes),
            "left": sum(1 for n in result.all_notes if n.left),
            "errors": len(result.all_errors),
        },
        "statistics": [
            {
                "transform": c.transform,
                "kind": c.kind,
                "count": c.count,
                "left": c.left,
                "first": {"path": c.first.path, "line": c.first.line, "column": c.first.column},
            }
            for c in kind_counts(result.all_notes)
        ],
    }


def _note(note: Any) -> dict[str, Any]:
    return {
        "path": note.path,
        "line": note.line,
        "column": note.column,
        "transform": note.transform,
        "message": note.message,
        "kind": note.kind,
        "left": note.left,
    }


def write_json(result: RunResult, command: str, target: Version, out: IO[str]) -> None:
    json.dump(as_json(result, command, target), out, indent=2)
    out.write("\n")


def _gh_escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _gh_line(level: str, path: str, line: int, column: int, title: str, message: str) -> str:
    props = f"file={_gh_escape(path, True)},line={line},col={column},title={_gh_escape(title, True)}"
    return f"::{level} {props}::{_gh_escape(message)}\n"


def write_github(result: RunResult, command: str, out: IO[str], err: IO[str]) -> None:
    """GitHub Actions workflow commands: one annotation per note, error and changed file (a
    note left unfinished is an error, any other a warning)."""
    created = set(result.created_files)
    for path in result.changed_files:
        level = "notice" if command == "apply" else "warning"
        verb = ("created" if path in created else "changed") if command == "apply" else ("would create" if path in created else "would change")
        out.write(_gh_line(level, path, 1, 1, "migrate-async", f"migrate-async {verb} this file"))
    for error in result.all_errors:
        path, line, column, reason = _split_location(error)
        out.write(_gh_line("error", path, line, column, "migrate-async", reason))
    for note in result.all_notes:
        title = f"migrate-async {note.transform}" + (f" [{note.kind}]" if note.kind else "")
        message = f"{LEFT}: {note.message}" if note.left else note.message
        out.write(_gh_line("error" if note.left else "warning", note.path, note.line, note.column, title, message))
    err.write(summary_line(result, command) + "\n")


def _split_location(error: str) -> tuple[str, int, int, str]:
    """``path:line:col: reason`` → its parts (path may itself contain colons); a line
    about a whole file (``path: reason``: it could not be written, a link not followed)
    points at its first line."""
    head, sep, reason = error.partition(": ")
    pieces = head.rsplit(":", 2)
    if sep and len(pieces) == 3 and pieces[1].isdigit() and pieces[2].isdigit():
        return pieces[0], int(pieces[1]), int(pieces[2]), reason
    if sep and head:
        return head, 1, 1, reason
    return "", 1, 1, error
