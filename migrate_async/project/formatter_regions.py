"""Running the formatter over the part of a file we changed, not over the whole file.

A formatter pass costs about what a LibCST parse does, for every line of the file; our
edits usually touch a few statements of a long test module. Each top-level statement of a
black-clean file is what black makes of it whatever comes after it, and the blank lines
before it follow from the statement just above it. So the changed statements are
formatted as a snippet that starts with the unchanged top-level statement before them and
ends with the unchanged one after them (the *context*), and only the lines between the two
context statements are taken from the result.

:func:`reformat_regions` answers only when that is certainly what formatting the whole file
would give; otherwise (None) the caller formats the whole file:

- the context statements must come out of the snippet as they went in, and the snippet's
  statements must be the same number before and after;
- a string expression as the first context statement would read as a module docstring: the
  context goes one statement further back (one further on when it closes a snippet that
  opens the file: then it is the module docstring, and black puts one blank line after it);
- black chooses some layouts by the Python versions the *file* needs when the project names
  none (a trailing comma after ``*args``, parenthesized context managers): the snippet is
  formatted for the oldest and for the newest versions, and must come out the same; and
  the versions black reads off the changed snippets must be the same before and after
  (``detect``): an f-string or a ``match`` statement the edit brings in changes them for
  the whole file, and with them the layout of statements no snippet holds;
- ``# fmt:`` / ``# yapf:`` directives, carriage returns and other line breaks ``ast`` and
  ``str.splitlines`` count differently send the file to the whole-file path;
- the project's own before-text of the region must pass the formatter (a file that did not
  pass before is never given to the formatter: see formatting.reformat); where only lines
  between its context statements move, the whole file would not pass either.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from ..textdiff import Opcode, opcodes

#: formatter(text, versions) → formatted text, or None when it failed; ``versions`` is
#: "oldest" or "newest" (the Python versions assumed when the project names none), or
#: None for the project's own setting
Formatter = Callable[[str, "str | None"], "str | None"]

#: detect(text) → the Python versions the formatter reads off ``text`` (None: it cannot tell)
Detector = Callable[[str], "frozenset[str] | None"]

#: what sends a file to the whole-file path
_UNSAFE = ("fmt:", "yapf:", "\r", "\f", "\v", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")

#: The cost of the snippets, in passes of the formatter over the whole file, above which
#: formatting the whole file is cheaper: it takes one pass where our edits are laid out
#: already (most files: see formatting.reformat's order). The snippets take a pass over
#: their lines for each variant of the Python versions, and reading the versions off them
#: (before and after) costs about 0.6 of such a pass; the before-texts are formatted only
#: when the formatter moves the after-texts.
_BUDGET = 1.0
_READING_VERSIONS = 0.6


@dataclass(frozen=True)
class _Window:
    """One snippet: ``after`` lines [start, end), opening with the context statement's lines
    [start, mid_start) and closing with [mid_end, end) (none at the file's start or end);
    the lines between are what may change. ``before`` lines [b_start, b_end) are the same
    snippet as it was. ``head`` and ``tail``: where the snippet's first statement ends and
    its last one starts, counted from ``start`` (None when a statement straddles its edges:
    then the snippet is parsed to tell)."""

    start: int
    mid_start: int
    mid_end: int
    end: int
    b_start: int
    b_end: int
    head: int | None = None
    tail: int | None = None


class Regions(NamedTuple):
    """What formatting the whole file would answer: ``text`` is ``after`` formatted, or
    ``after`` as it is when ``before`` did not pass the formatter (``clean`` False)."""

    text: str
    clean: bool


def reformat_regions(
    before: str, after: str, run: Formatter, versions_known: bool, detect: Detector | None = None
) -> Regions | None:
    """``after`` as formatting the whole of it would leave it (when ``before`` passed the
    formatter; else ``after`` unchanged), when that can be told from the changed regions
    alone; None otherwise (the caller then asks about the whole file). ``versions_known``:
    the project names the Python versions the formatter targets (else both ends are tried,
    see the module docstring; ``detect`` is then needed, else no answer)."""
    if any(mark in after or mark in before for mark in _UNSAFE) or not versions_known and detect is None:
        return None
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    changes = [op for op in opcodes(old, new) if op[0] != "equal"]
    variants: tuple[str | None, ...] = (None,) if versions_known else ("oldest", "newest")
    passes = len(variants) + (0 if versions_known else _READING_VERSIONS)
    # the changed lines alone may already cost more than the whole file (before parsing it)
    if passes * sum(j2 - j1 for _tag, _i1, _i2, j1, j2 in changes) > _BUDGET * len(new):
        return None
    windows = _windows(old, new, after, changes)
    if windows is None:
        return None
    if passes * sum(w.end - w.start for w in windows) > _BUDGET * len(new):
        return None
    if not versions_known and detect is not None:
        before_versions = _versions([detect("".join(old[w.b_start:w.b_end])) for w in windows])
        after_versions = _versions([detect("".join(new[w.start:w.end])) for w in windows])
        if before_versions is None or before_versions != after_versions:
            return None  # the versions read off the whole file may change: any statement may move
    middles = []
    for window in windows:
        snippet = new[window.start:window.end]
        middle = None
        for variant in variants:
            formatted = run("".join(snippet), variant)
            if formatted is None:
                return None
            cut = _middle(formatted, snippet, window)
            if cut is None or middle is not None and cut != middle:
                return None
            middle = cut
        middles.append(middle or "")
    if all(middle == "".join(new[w.mid_start:w.mid_end]) for w, middle in zip(windows, middles)):
        # the formatter leaves ``after`` as it is: that is the answer whether or not
        # ``before`` passed it (as formatting.reformat's "after first" order has it)
        return Regions(after, clean=True)
    pieces: list[str] = []
    done = 0
    for window, middle in zip(windows, middles):
        clean = _clean(old[window.b_start:window.b_end], window, run, variants)
        if clean is None:
            return None  # the snippet cannot tell: the whole file decides
        if not clean:
            return Regions(after, clean=False)
        pieces.append("".join(new[done:window.mid_start]))
        pieces.append(middle)
        done = window.mid_end
    pieces.append("".join(new[done:]))
    return Regions("".join(pieces), clean=True)


def _versions(parts: list[frozenset[str] | None]) -> frozenset[str] | None:
    """The versions read off all of ``parts`` (those none of them rules out); None when one
    could not be read."""
    known = [part for part in parts if part is not None]
    if len(known) < len(parts):
        return None
    return frozenset.intersection(*known) if known else frozenset()


def _clean(lines: list[str], window: _Window, run: Formatter, variants: tuple[str | None, ...]) -> bool | None:
    """Whether the ``before`` snippet passes the formatter: True when it comes back as it
    is; False when only what lies between its context statements moves (under every
    variant), for then formatting the whole file moves it too; None otherwise."""
    text = "".join(lines)
    moved = 0
    for variant in variants:
        formatted = run(text, variant)
        if formatted == text:
            continue
        if formatted is None or _middle(formatted, lines, window, of_after=False) is None:
            return None
        moved += 1
    return True if not moved else False if moved == len(variants) else None


def _spans(text: str) -> list[tuple[int, int, ast.stmt]] | None:
    """Each top-level statement's lines [start, end), 0-based, decorators included."""
    try:
        body = ast.parse(text).body
    except (SyntaxError, ValueError):
        return None
    spans = []
    for statement in body:
        first = min([statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", ()))])
        end = statement.end_lineno
        if end is None:
            return None
        spans.append((first - 1, end, statement))
    return spans


def _windows(old: list[str], new: list[str], after: str, changes: list[Opcode]) -> list[_Window] | None:
    """The snippets around ``changes`` (the edit script from ``old`` to ``new`` without its
    equal stretches); None when ``after`` does not parse."""
    spans = _spans(after)
    if not spans:
        return None
    if not changes:
        return []
    # per change: the context statements around it, as indexes into ``spans`` (-1: the
    # file's start, len(spans): its end)
    groups: list[list[int]] = []
    for _tag, _i1, _i2, j1, j2 in changes:
        prev = max((k for k, (_s, e, _n) in enumerate(spans) if e <= j1), default=-1)
        following = min((k for k, (s, _e, _n) in enumerate(spans) if s >= j2 and k > prev), default=len(spans))
        if groups and prev <= groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], following)
        else:
            groups.append([prev, following])
    # a string statement opening the snippet would be read as the module's docstring
    for group in groups:
        while group[0] > 0 and _is_string(spans[group[0]][2]):
            group[0] -= 1
        # and so would one closing a snippet that opens the file (the statements above it
        # deleted): black then keeps one blank line after it, below the snippet
        if group[0] < 0 and group[1] == 0 and _is_string(spans[0][2]):
            group[1] = 1
    merged: list[list[int]] = []
    for group in groups:
        if merged and group[0] <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], group[1])
        else:
            merged.append(group)
    to_old = _line_map(changes, len(new), len(old))
    windows = []
    for prev, following in merged:
        start, mid_start = (spans[prev][0], spans[prev][1]) if prev >= 0 else (0, 0)
        mid_end, end = (spans[following][0], spans[following][1]) if following < len(spans) else (len(new), len(new))
        inside = [(s, e) for s, e, _n in spans if start <= s and e <= end]
        whole = not any(s < start < e or s < end < e for s, e, _n in spans)
        head, tail = (inside[0][1] - start, inside[-1][0] - start) if inside and whole else (None, None)
        windows.append(_Window(start, mid_start, mid_end, end, to_old(start), to_old(end), head, tail))
    return windows


def _line_map(changes: list[Opcode], new_length: int, old_length: int) -> Callable[[int], int]:
    """Maps a snippet's first or last line boundary in ``after`` to the same boundary in
    ``before``: the file's start and end, or the edge of a context statement, which no
    change touches (a change next to one joins the snippets on either side of it), so the
    lines up to it differ only by the changes wholly above it."""

    def to_old(line: int) -> int:
        if line == 0 or line == new_length:
            return 0 if line == 0 else old_length
        shift = 0
        for _tag, _i1, i2, _j1, j2 in changes:
            if j2 > line:
                break
            shift = i2 - j2
        return line + shift

    return to_old


def _middle(formatted: str, snippet: list[str], window: _Window, of_after: bool = True) -> str | None:
    """The lines of ``formatted`` between its context statements, when they came out as
    they went in (and the snippet kept its number of statements). ``of_after``: the
    snippet is the window's lines of the after-text, whose statement spans it keeps."""
    opening = window.mid_start - window.start
    closing = window.end - window.mid_end
    if of_after and formatted == "".join(snippet) and window.head is not None and window.tail is not None:
        # the formatter left it as it is (most snippets): its statements are where they
        # were in ``after``, no need to parse it again (the same answer as below)
        head = window.head if opening else 0
        tail = window.tail if closing else len(snippet)
        return "".join(snippet[head:tail]) if head == opening and tail == len(snippet) - closing else None
    spans = _spans(formatted)
    if spans is None:
        return None
    lines = formatted.splitlines(keepends=True)
    original = _spans("".join(snippet))
    if original is None or len(original) != len(spans):
        return None
    head = spans[0][1] if opening else 0
    tail = spans[-1][0] if closing else len(lines)
    if lines[:head] != snippet[:opening] or lines[tail:] != snippet[len(snippet) - closing:]:
        return None
    return "".join(lines[head:tail])


def _is_string(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and isinstance(statement.value.value, str)
