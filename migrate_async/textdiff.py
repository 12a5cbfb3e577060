"""Unified diffs of a file before and after a rewrite, quick on long, mostly equal files.

``difflib.unified_diff`` hands both files to ``SequenceMatcher``, which searches every gap
for its longest matching block, again and again; on a 130-line test module with an edit
every few lines that takes as long as checking the output with ``ast``. Here the files are
split first at lines that occur exactly once on each side, in the same order on both (the
anchors of a patience diff: in a test module, nearly every ``def``, ``assert`` and
decorator line), and ``SequenceMatcher`` compares only the short stretches between them.
The hunks are grouped by ``SequenceMatcher.get_grouped_opcodes`` and written in the
unified format, so the output reads like difflib's and usually is the same.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Iterator, Sequence

Opcode = tuple[str, int, int, int, int]


def unified_diff(
    old: str, new: str, path: str, context: int = 3, new_path: str | None = None, created: bool = False
) -> str:
    """``--- path`` / ``+++ path`` (or ``new_path``) and the hunks that turn ``old`` into
    ``new`` ("" when equal); a file the run creates is ``--- /dev/null``, as git shows it."""
    if old == new:
        return ""
    a = _split(old)
    b = _split(new)
    out = [f"--- {'/dev/null' if created else path}\n", f"+++ {path if new_path is None else new_path}\n"]
    for group in _Anchored(a, b).get_grouped_opcodes(context):
        out.append(f"@@ -{_range(group[0][1], group[-1][2])} +{_range(group[0][3], group[-1][4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(_lines(" ", a[i1:i2]))
                continue
            out.extend(_lines("-", a[i1:i2]))
            out.extend(_lines("+", b[j1:j2]))
    return "".join(out)


def _split(text: str) -> list[str]:
    """Lines, each with its ending, broken at line feeds only (``str.splitlines`` also
    breaks at form feeds and other characters that end no line in Python source, or for
    patch)."""
    lines = [line + "\n" for line in text.split("\n")]
    last = lines.pop()
    if last != "\n":
        lines.append(last[:-1])
    return lines


def _range(start: int, stop: int) -> str:
    """A hunk's line range: ``first,count``, just ``first`` for one line, and for none the
    line before (``0,0`` at the top)."""
    count = stop - start
    if count == 1:
        return str(start + 1)
    return f"{start + 1 if count else start},{count}"


def _lines(sign: str, lines: Sequence[str]) -> Iterator[str]:
    for line in lines:
        if line.endswith("\n"):
            yield sign + line
        else:  # the last line of a file without a final newline
            yield f"{sign}{line}\n\\ No newline at end of file\n"


class _Anchored(difflib.SequenceMatcher):
    """A SequenceMatcher whose edit script is found the anchored way (see the module)."""

    def __init__(self, a: Sequence[str], b: Sequence[str]) -> None:
        super().__init__(None, (), (), autojunk=False)  # nothing to index: opcodes come from below
        self._codes = opcodes(a, b)

    def get_opcodes(self) -> list[Opcode]:
        return list(self._codes)  # get_grouped_opcodes edits the list it is given


def opcodes(a: Sequence[str], b: Sequence[str]) -> list[Opcode]:
    """``SequenceMatcher.get_opcodes()``-style edit script from ``a`` to ``b``."""
    codes: list[Opcode] = []
    i = j = 0
    for start_a, start_b, size in _matching_blocks(a, b):
        if i < start_a or j < start_b:
            tag = "replace" if i < start_a and j < start_b else "delete" if i < start_a else "insert"
            codes.append((tag, i, start_a, j, start_b))
        if size:
            codes.append(("equal", start_a, start_a + size, start_b, start_b + size))
        i, j = start_a + size, start_b + size
    return codes


def _matching_blocks(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int, int]]:
    """Equal runs ``(i, j, size)`` in order on both sides, adjacent ones joined, ending with
    ``(len(a), len(b), 0)`` as difflib's do."""
    n, m = len(a), len(b)
    head = 0
    while head < n and head < m and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < n - head and tail < m - head and a[n - 1 - tail] == b[m - 1 - tail]:
        tail += 1
    found = [(0, 0, head)]
    i, j = head, head
    for anchor_a, anchor_b in [*_anchors(a, b, head, n - tail, head, m - tail), (n - tail, m - tail)]:
        if anchor_a > i and anchor_b > j:
            gap = difflib.SequenceMatcher(None, a[i:anchor_a], b[j:anchor_b], autojunk=False)
            found.extend((i + x, j + y, size) for x, y, size in gap.get_matching_blocks() if size)
        found.append((anchor_a, anchor_b, 1))
        i, j = anchor_a + 1, anchor_b + 1
    found[-1] = (n - tail, m - tail, tail)  # the last "anchor" is where the equal tail starts
    joined: list[tuple[int, int, int]] = []
    for block in found:
        if not block[2]:
            continue
        if joined and joined[-1][0] + joined[-1][2] == block[0] and joined[-1][1] + joined[-1][2] == block[1]:
            joined[-1] = (joined[-1][0], joined[-1][1], joined[-1][2] + block[2])
        else:
            joined.append(block)
    joined.append((n, m, 0))
    return joined


def _anchors(
    a: Sequence[str], b: Sequence[str], a_start: int, a_stop: int, b_start: int, b_stop: int
) -> list[tuple[int, int]]:
    """Pairs ``(i, j)`` with ``a[i] == b[j]`` a line found once in each range, the longest
    chain of them that is in order on both sides."""
    where_a: dict[str, int] = {}
    for i in range(a_start, a_stop):
        where_a[a[i]] = -1 if a[i] in where_a else i
    where_b: dict[str, int] = {}
    for j in range(b_start, b_stop):
        where_b[b[j]] = -1 if b[j] in where_b else j
    pairs = sorted((i, where_b[line]) for line, i in where_a.items() if i >= 0 and where_b.get(line, -1) >= 0)
    # longest increasing run of the b positions (patience sorting): ends[k] is the smallest
    # b position that ends a chain of k + 1 pairs, ``before`` links each pair to its chain
    ends: list[int] = []
    ending: list[int] = []
    before: list[int] = []
    for index, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(ends, j)
        before.append(ending[k - 1] if k else -1)
        if k == len(ends):
            ends.append(j)
            ending.append(index)
        else:
            ends[k] = j
            ending[k] = index
    chain = []
    index = ending[-1] if ending else -1
    while index >= 0:
        chain.append(pairs[index])
        index = before[index]
    chain.reverse()
    return chain
