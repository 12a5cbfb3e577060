"""Random edits of random black-clean modules: the snippet a formatter leaves as it is is cut
by the statement spans the after-text's parse gave (``_Window.head`` / ``tail``), and that
cut must be the one parsing the snippet gives (the earlier ``_middle``, kept here as the
oracle); and whatever formatter_regions answers is what black makes of the whole file.

The pieces put statements on shared lines (semicolons, one of them spread over two lines so
that it straddles a snippet's edge), decorators with comments between them, nested classes,
string statements (one of them first in the file), comments and blank lines."""

from __future__ import annotations

import ast
import random

import black
import pytest

from migrate_async.project.formatter_regions import _middle, _spans, _Window, _windows, reformat_regions
from migrate_async.project.formatting import BLACK, CodeStyle, _black, black_versions
from migrate_async.textdiff import opcodes

PIECES = [
    '"""A string statement."""\n',
    "import os\n",
    "x = 1\n",
    "x = 1; y = 2\n",
    "a = (\n    1); b = 2\n",
    "c = 3; d = (\n    4)\n",
    "# a comment\n",
    "\n",
    "\n\n",
    "@dec\ndef f():\n    pass\n",
    "@dec\n# between\n@other(1)\nclass C:\n    class D:\n        x = 1\n    def m(self):\n        return 2\n",
    "def g():\n    '''doc'''\n    return 1\n",
    "if x:\n    y = 1\nelse:\n    y = 2\n",
    "async def h():\n    await x\n",
    "value = call(argument_one, argument_two, argument_three, argument_four_long_name)\n",
    "s = '''multi\nline\n'''\n",
    "x=foo( 1,2 )\n",
    "try:\n    pass\nexcept E:\n    pass\n",
    "e = 5  # trailing\n",
]


def _parsed_middle(formatted: str, snippet: list[str], window: _Window) -> str | None:
    """``_middle`` as it was before it took the spans from the window (21fa65e): both texts parsed."""
    spans = _spans(formatted)
    if spans is None:
        return None
    lines = formatted.splitlines(keepends=True)
    opening = window.mid_start - window.start
    closing = window.end - window.mid_end
    original = _spans("".join(snippet))
    if original is None or len(original) != len(spans):
        return None
    head = spans[0][1] if opening else 0
    tail = spans[-1][0] if closing else len(lines)
    if lines[:head] != snippet[:opening] or lines[tail:] != snippet[len(snippet) - closing:]:
        return None
    return "".join(lines[head:tail])


def _module(rng: random.Random, clean: bool) -> str | None:
    text = "".join(rng.choice(PIECES) for _ in range(rng.randint(2, 12)))
    if not clean:  # statements that share lines stay so, and may be the snippet's context
        return text if _spans(text) else None
    try:
        return black.format_str(text, mode=black.Mode())
    except Exception:  # noqa: BLE001 - a piece that does not fit where it fell
        return None


def _edited(rng: random.Random, text: str) -> str:
    lines = text.splitlines(keepends=True)
    for _ in range(rng.randint(1, 3)):
        kind = rng.random()
        if kind < 0.5 or not lines:
            at = rng.randint(0, len(lines))
            piece = rng.choice(PIECES).splitlines(keepends=True)
            if at < len(lines) and lines[at].strip() and rng.random() < 0.3:
                indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
                piece = [indent + line for line in piece]
            lines[at:at] = piece
        elif kind < 0.8:
            at = rng.randrange(len(lines))
            del lines[at:at + rng.randint(1, 2)]
        else:
            at = rng.randrange(len(lines))
            lines[at] = lines[at].replace(" = ", "=").replace("pass", "x; y")
    return "".join(lines)


def _cases(count: int, seed: int, clean: bool):
    rng = random.Random(seed)
    for turn in range(count):
        before = _module(rng, clean or turn % 2 == 0)
        if before is None:
            continue
        after = _edited(rng, before)
        try:
            ast.parse(after)
        except SyntaxError:
            continue
        yield before, after


def test_a_snippet_left_as_it_is_is_cut_where_parsing_it_would_cut_it() -> None:
    seen = {"spans from after": 0, "straddled": 0, "at the start": 0, "at the end": 0, "answered": 0, "refused": 0}
    for before, after in _cases(200, 4, clean=False):
        old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
        windows = _windows(old, new, after, [op for op in opcodes(old, new) if op[0] != "equal"])
        for window in windows or ():
            snippet = new[window.start:window.end]
            text = "".join(snippet)
            formatted = [text]
            try:
                formatted.append(black.format_str(text, mode=black.Mode()))
            except Exception:  # noqa: BLE001 - black's failure is no case
                pass
            for out in formatted:
                cut = _middle(out, snippet, window)
                assert cut == _parsed_middle(out, snippet, window), (after, window, out)
            seen["spans from after"] += window.head is not None
            seen["straddled"] += window.head is None
            seen["at the start"] += window.start == 0
            seen["at the end"] += window.end == len(new)
            seen["answered"] += _middle(text, snippet, window) is not None
            seen["refused"] += window.head is not None and _middle(text, snippet, window) is None
    assert all(number >= 3 for number in seen.values()), seen


@pytest.mark.parametrize(
    ("before", "after", "spans_from_after"),
    [
        ("a = (\n    1); b = 2\nx = 1\n", "a = (\n    1); b = 2\nx = 2\n", False),
        ("x = 1\nc = 3; d = (\n    4)\n", "x = 2\nc = 3; d = (\n    4)\n", False),
        ("a = 1; b = (\n    2)\nx = 1\ny = 1\n", "a = 1; b = (\n    2)\nx = 2\ny = 1\n", True),
        ("a = 1; b = 2\nx = 1\nc = 3; d = 4\n", "a = 1; b = 2\nx = 2\nc = 3; d = 4\n", True),
        ('"""Doc."""\nx = 1\n', '"""Doc."""\nx = 2\n', True),
        ("@dec\n# note\n@other\ndef f():\n    pass\nx = 1\n", "@dec\n# note\n@other\ndef f():\n    pass\nx = 2\n", True),
    ],
    ids=["straddles-the-start", "straddles-the-end", "context-shares-its-first-line", "semicolons-both-sides",
         "string-first", "decorators"],
)
def test_edges_of_a_snippet_left_as_it_is(before: str, after: str, spans_from_after: bool) -> None:
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    windows = _windows(old, new, after, [op for op in opcodes(old, new) if op[0] != "equal"])
    assert windows
    for window in windows:
        snippet = new[window.start:window.end]
        assert (window.head is not None) == spans_from_after
        assert _middle("".join(snippet), snippet, window) == _parsed_middle("".join(snippet), snippet, window)


def test_random_edits_with_shared_lines_and_decorators_format_as_the_whole_file_would() -> None:
    style = CodeStyle(formatter=BLACK)
    answered = 0
    for before, after in list(_cases(100, 11, clean=True))[:50]:
        region = reformat_regions(before, after, lambda t, v: _black(t, "t.py", style, v), False, detect=black_versions)
        if region is None:
            continue
        answered += 1
        assert region == (black.format_str(after, mode=black.Mode()), True), after
    assert answered >= 12
