"""Rendering a run: unified diffs (stdout), notes/errors/summary (stderr), JSON."""

from __future__ import annotations

import json
from typing import IO, Any

from .engine import RunResult
from .project import Version, format_version

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


def summary_line(result: RunResult, command: str) -> str:
    changed = len(result.changed_files)
    created = len(result.created_files)
    verb = "changed" if command == "apply" else "would change"
    notes = len(result.all_notes)
    skipped = len(result.all_errors)
    parts = [
        f"{_plural(changed, 'file')} {verb}" + (f" ({created} created)" if created else ""),
        f"{notes} need{'s' if notes == 1 else ''} review",
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


def write_text(result: RunResult, command: str, out: IO[str], err: IO[str], colour: bool, colour_err: bool) -> None:
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
    for note in result.all_notes:
        err.write(_dim(note.format(), "\033[33m", colour_err) + "\n")
    for line in result.left_alone + result.project_wide:
        err.write(line + "\n")
    for line in result.targets:
        if not line.endswith("(default)"):
            err.write(line + "\n")
    err.write(summary_line(result, command) + "\n")


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
            "errors": len(result.all_errors),
        },
    }


def _note(note: Any) -> dict[str, Any]:
    return {
        "path": note.path,
        "line": note.line,
        "column": note.column,
        "transform": note.transform,
        "message": note.message,
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
    """GitHub Actions workflow commands: one annotation per note, error and changed file."""
    created = set(result.created_files)
    for path in result.changed_files:
        level = "notice" if command == "apply" else "warning"
        verb = ("created" if path in created else "changed") if command == "apply" else ("would create" if path in created else "would change")
        out.write(_gh_line(level, path, 1, 1, "migrate-async", f"migrate-async {verb} this file"))
    for error in result.all_errors:
        path, line, column, reason = _split_location(error)
        out.write(_gh_line("error", path, line, column, "migrate-async", reason))
    for note in result.all_notes:
        out.write(_gh_line("warning", note.path, note.line, note.column, f"migrate-async {note.transform}", note.message))
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
