"""textdiff: the anchored unified diff is a correct patch, written the way difflib writes one."""

from __future__ import annotations

import difflib
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from migrate_async.textdiff import _anchors, _split, opcodes, unified_diff

# few distinct lines, so that repeats (blank lines, ``pass``) and unique anchors both occur
LINES = st.sampled_from(["\n", "pass\n", "x = 1\n", "    return x\n", "def f():\n", "import a\n", "# c\n", "y\r\n"])
TEXTS = st.builds(
    lambda lines, tail: "".join(lines) + tail,
    st.lists(LINES, max_size=40),
    st.sampled_from(["", "end", "\x0cpage\n"]),
)

HUNK = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n")


def _patch(old: str, diff: str) -> str:
    """Apply a unified diff the way patch does, checking every context and removed line."""
    if not diff:
        return old
    source = _split(old)
    result: list[str] = []
    lines = diff.split("\n")[2:]  # after --- and +++
    position = 0
    index = 0
    while index < len(lines) and lines[index]:
        start, count = HUNK.match(lines[index] + "\n").group(1, 2)  # type: ignore[union-attr]
        first = int(start) - (0 if count == "0" else 1)
        result.extend(source[position:first])
        position = first
        index += 1
        while index < len(lines) and lines[index] and not lines[index].startswith("@@"):
            sign, text = lines[index][0], lines[index][1:] + "\n"
            if index + 1 < len(lines) and lines[index + 1] == "\\ No newline at end of file":
                text = text[:-1]
                index += 1
            if sign in " -":
                assert source[position] == text
                position += 1
            if sign in " +":
                result.append(text)
            index += 1
    result.extend(source[position:])
    return "".join(result)


@settings(max_examples=300, deadline=None)
@given(old=TEXTS, new=TEXTS)
def test_the_diff_turns_old_into_new(old: str, new: str) -> None:
    diff = unified_diff(old, new, "test_x.py")
    assert (diff == "") == (old == new)
    assert _patch(old, diff) == new


@settings(max_examples=300, deadline=None)
@given(old=TEXTS, new=TEXTS)
def test_the_edit_script_covers_both_sides_and_keeps_only_equal_lines(old: str, new: str) -> None:
    a, b = _split(old), _split(new)
    codes = opcodes(a, b)
    i = j = 0
    for tag, i1, i2, j1, j2 in codes:
        assert (i1, j1) == (i, j)
        assert tag in ("equal", "replace", "delete", "insert")
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2] and i2 > i1
        assert (i2 > i1) == (tag in ("equal", "replace", "delete"))
        assert (j2 > j1) == (tag in ("equal", "replace", "insert"))
        i, j = i2, j2
    assert (i, j) == (len(a), len(b))


@settings(max_examples=200, deadline=None)
@given(old=TEXTS, new=TEXTS)
def test_written_as_difflib_writes_the_same_edit_script(old: str, new: str) -> None:
    a, b = _split(old), _split(new)
    if opcodes(a, b) != difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        return
    expected = "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
        for line in difflib.unified_diff(a, b, "test_x.py", "test_x.py")
    )
    assert unified_diff(old, new, "test_x.py") == expected


def test_a_long_repetitive_file_gets_one_small_hunk_per_edit() -> None:
    # difflib.unified_diff treats lines found in over 1% of a 200+ line file (blank lines,
    # ``import asyncio``) as junk and rewrites this one as a single hunk of 478 lines
    body = "    assert client\n    assert client.ok\n    assert client.done\n    assert client.name\n\n\n"
    old = "".join(
        f"import asyncio\nimport time\n\n\nasync def test_{n}(client):\n    time.sleep(0.01)\n{body}" for n in range(20)
    )
    new = "".join(
        f"import asyncio\n\n\n@pytest.mark.asyncio\nasync def test_{n}(client):\n    await asyncio.sleep(0.01)\n{body}"
        for n in range(20)
    )
    diff = unified_diff(old, new, "test_x.py")
    assert _patch(old, diff) == new
    changed = [line for line in diff.splitlines()[2:] if line[:1] in "+-"]
    assert len(changed) == 20 * 4  # per test: -import time, +mark, -sleep, +await sleep
    assert diff.count("@@ -") == 20


def test_lines_break_at_line_feeds_only() -> None:
    old = "a = 1\x0c# page two\nb = 2\r\n"
    new = "a = 1\x0c# page two\nb = 3\r\n"
    assert unified_diff(old, new, "f.py") == "--- f.py\n+++ f.py\n@@ -1,2 +1,2 @@\n a = 1\x0c# page two\n-b = 2\r\n+b = 3\r\n"


def test_a_missing_final_newline_is_marked() -> None:
    diff = unified_diff("x = 1\ny = 2", "x = 1\ny = 3", "f.py")
    assert diff.endswith("-y = 2\n\\ No newline at end of file\n+y = 3\n\\ No newline at end of file\n")
    assert unified_diff("", "x\n", "f.py") == "--- f.py\n+++ f.py\n@@ -0,0 +1 @@\n+x\n"


def test_anchors_are_the_longest_chain_of_lines_unique_on_both_sides() -> None:
    a = ["a\n", "b\n", "x\n", "c\n", "d\n", "x\n", "e\n"]
    b = ["c\n", "a\n", "b\n", "x\n", "d\n", "e\n", "c\n"]
    # c is not unique in b, x not in either: a, b, d, e remain, in order on both sides
    assert _anchors(a, b, 0, len(a), 0, len(b)) == [(0, 1), (1, 2), (4, 4), (6, 5)]
    assert _anchors(["p\n", "q\n"], ["q\n", "p\n"], 0, 2, 0, 2) in ([(0, 1)], [(1, 0)])


def test_a_created_file_is_diffed_from_dev_null() -> None:
    assert unified_diff("", "[pytest]\nx = 1\n", "pytest.ini", created=True) == (
        "--- /dev/null\n+++ pytest.ini\n@@ -0,0 +1,2 @@\n+[pytest]\n+x = 1\n"
    )
