"""Formatting only the changed statements of a black-clean file gives what formatting the
whole file gives, or no answer (then the whole file is formatted): black itself is the
oracle here, never a hand-written expectation of its output."""

from __future__ import annotations

import random

import black
import pytest

from migrate_async.project import formatting
from migrate_async.project.formatter_regions import reformat_regions
from migrate_async.project.formatting import BLACK, CodeStyle, _black, black_versions, reformat

STYLE = CodeStyle(formatter=BLACK)
PINNED = CodeStyle(formatter=BLACK, black_options={"target-version": ["py39"]})


def _clean(text: str) -> str:
    return black.format_str(text, mode=black.Mode())


def _regions(before: str, after: str, run, versions_known: bool) -> str | None:
    """The text reformat_regions answers for a before-text that passed the formatter."""
    answer = reformat_regions(before, after, run, versions_known, detect=black_versions)
    if answer is not None:
        assert answer.clean
    return None if answer is None else answer.text


def _run(style: CodeStyle, asked: list[str] | None = None):
    def run(text: str, versions: str | None) -> str | None:
        if asked is not None:
            asked.append(text)
        return _black(text, "t.py", style, versions)

    return run


# a long module whose statements are of every kind the blank-line rules look at
MODULE = _clean('''\
"""The module's docstring."""
from __future__ import annotations
import asyncio
import pytest
CONSTANT = 1
"""A string after an assignment: not a docstring, unless it opens a snippet."""
# a comment block above a function
# that black keeps next to it
def helper(a, b):
    return a + b
@pytest.fixture
def server():
    yield object()
class TestThing:
    """A class docstring."""
    attribute = 1
    def test_one(self, server):
        assert server
    async def test_two(self):
        await asyncio.sleep(0)
def test_three():
    pass
@pytest.mark.parametrize("x", [1, 2])
def test_four(x):
    assert x
if True:
    def conditional():
        pass
def test_last():
    assert helper(1, 2) == 3
''' + "".join(f"def test_filler_{n}():\n    assert helper({n}, 1) == {n + 1}\n" for n in range(20)))


def _edits(text: str) -> dict[str, str]:
    lines = text.splitlines(keepends=True)

    def with_line(index: int, line: str) -> str:
        return "".join(lines[:index] + [line] + lines[index:])

    def replaced(old: str, new: str) -> str:
        assert old in text
        return text.replace(old, new, 1)

    return {
        "decorator added": replaced("def test_three", "@pytest.mark.asyncio\nasync def test_three"),
        "method made async": replaced("    def test_one", "    async def test_one"),
        "long signature": replaced(
            "def test_four(x):", "def test_four(x, a_rather_long_fixture_name, another_rather_long_fixture_name_too):"
        ),
        "badly spaced line": replaced("def test_three():\n    pass\n", "def test_three():\n    x=foo( 1,2 )\n"),
        "statement removed": replaced("    return a + b\n", "    pass\n"),
        "first statement": replaced('"""The module\'s docstring."""', '"""The module\'s docstring, edited."""'),
        "last statement": replaced("assert helper(19, 1) == 20", "assert helper( 19,1 )==20"),
        "after the string statement": replaced("def helper(a, b):", "def helper(a, b, c=None):"),
        "new function between two": with_line(lines.index("def test_three():\n"), "def added( ):\n    pass\n"),
        "blank lines piled up": with_line(lines.index("class TestThing:\n"), "\n\n\n"),
        # statements that share lines, one of them straddling the snippet's closing edge
        "semicolons around the change": replaced(
            "def test_three():\n    pass\n", "def test_three():\n    pass\nx = 1; y = (\n    2); z = 3\n"
        ),
        "star arguments split": replaced(
            "def test_three():\n    pass\n", "def test_three():\n    some_function_name(*argument_number_one, argument_number_two, **argument_number_three_long)\n"
        ),
        "star arguments exploded": replaced(
            "def test_three():\n    pass\n",
            "def test_three():\n    some_function_name(*argument_number_one, argument_number_two, argument_number_three,"
            " argument_number_four, **argument_number_five)\n",
        ),
    }


EDITS = _edits(MODULE)
#: black's layout here depends on the Python versions: read off the whole file (whose
#: ``from __future__ import annotations`` needs 3.7, so a trailing comma follows
#: ``**argument_number_five``), the snippet alone cannot tell
VERSION_DEPENDENT = {"star arguments exploded"}


@pytest.mark.parametrize("style", [STYLE, PINNED], ids=["versions-read-off-the-file", "versions-pinned"])
@pytest.mark.parametrize("name", sorted(EDITS))
def test_a_region_formats_as_the_whole_file_would(name: str, style: CodeStyle) -> None:
    after = EDITS[name]
    whole = _black(after, "t.py", style)
    assert MODULE == _black(MODULE, "t.py", style)
    region = _regions(MODULE, after, _run(style), versions_known=style is PINNED)
    if name in VERSION_DEPENDENT and style is STYLE:
        assert region is None
    else:
        assert region == whole


def test_a_small_edit_is_formatted_without_the_whole_file() -> None:
    asked: list[str] = []
    after = EDITS["badly spaced line"]
    assert _regions(MODULE, after, _run(STYLE, asked), versions_known=False) == _clean(after)
    assert asked and all(len(text) < len(MODULE) / 2 for text in asked)


def test_the_snippet_opens_with_the_statement_above_the_change() -> None:
    asked: list[str] = []
    after = EDITS["decorator added"]
    assert _regions(MODULE, after, _run(PINNED, asked), versions_known=True) == _clean(after)
    # the class above it and the parametrized test below it are the context
    assert asked[-1].startswith("class TestThing:\n")
    assert asked[-1].endswith("def test_four(x):\n    assert x\n")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("x = 1\n# fmt: off\ny = [1,2]\n# fmt: on\n", "x = 2\n# fmt: off\ny = [1,2]\n# fmt: on\n"),
        ("x = 1\r\ny = 2\r\n", "x = 3\r\ny = 2\r\n"),
        ("def f(:\n", "def g(:\n"),
    ],
    ids=["fmt-off", "carriage-returns", "unparsable"],
)
def test_what_a_region_cannot_tell_goes_to_the_whole_file(before: str, after: str) -> None:
    assert reformat_regions(before, after, _run(STYLE), versions_known=False, detect=black_versions) is None


def test_a_region_that_was_not_clean_leaves_the_text_as_it_is() -> None:
    # the blank line black puts after a module docstring was missing: what lies between the
    # context statements moves, so the whole file would not pass black either
    messy = MODULE.replace('docstring."""\n\n', 'docstring."""\n', 1)
    after = messy.replace('docstring."""', 'docstring, edited."""')
    assert black.format_str(messy, mode=black.Mode()) != messy
    assert reformat_regions(messy, after, _run(STYLE), versions_known=False, detect=black_versions) == (after, False)


def test_what_is_not_clean_elsewhere_does_not_stop_a_clean_region() -> None:
    # a file formatted by an older black (no blank line after the docstring): the statements
    # we change passed this black, so they are formatted as it formats them
    messy = MODULE.replace('docstring."""\n\n', 'docstring."""\n', 1)
    after = messy.replace("def test_three():\n    pass\n", "def test_three():\n    x=foo( 1,2 )\n")
    formatted = after.replace("x=foo( 1,2 )", "x = foo(1, 2)")
    assert reformat_regions(messy, after, _run(STYLE), versions_known=False, detect=black_versions) == (formatted, True)


def test_a_region_whose_context_moves_is_not_answered() -> None:
    # the context statement above the change is not clean itself: the snippet cannot tell
    messy = MODULE.replace("def test_three():\n    pass\n", "def test_three():\n    x=foo( 1,2 )\n")
    after = messy.replace("def test_four(x):", "def test_four(x, y):")
    assert reformat_regions(messy, after, _run(STYLE), versions_known=False, detect=black_versions) is None


def test_reformat_takes_the_region_answer_and_keeps_the_whole_file_answer_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formatting, "_ORDERS", {})
    for after in EDITS.values():
        assert reformat(MODULE, after, "t.py", STYLE) == _clean(after)
    messy = MODULE.replace("def test_three():\n    pass\n", "def test_three():\n    x=foo( 1,2 )\n")
    after = messy.replace("def test_three", "async def test_three")
    assert reformat(messy, after, "t.py", STYLE) == after  # not clean before: left as it is


def test_random_edits_of_a_clean_module_format_as_the_whole_file_would() -> None:
    rng = random.Random(26)
    lines = MODULE.splitlines(keepends=True)
    inserts = ["x=foo( 1,2 )\n", "\n", "# note\n", "value = call(argument_one, argument_two, argument_three, argument_four_long)\n"]
    answered = 0
    for _ in range(20):
        edited = list(lines)
        for _ in range(rng.randint(1, 2)):
            at = rng.randrange(len(edited))
            indent = edited[at][: len(edited[at]) - len(edited[at].lstrip())] if edited[at].strip() else ""
            edited.insert(at, indent + rng.choice(inserts))
        after = "".join(edited)
        try:
            whole = black.format_str(after, mode=black.Mode())
        except Exception:  # noqa: BLE001 - an edit that is not Python is no case
            continue
        region = _regions(MODULE, after, _run(STYLE), versions_known=False)
        assert region in (None, whole), after
        answered += region is not None
    assert answered >= 4


FILLER = "\n\n" + "\n\n".join(f"def test_filler_{n}():\n    assert helper({n}, 1) == {n + 1}\n" for n in range(20))


@pytest.mark.parametrize("style", [STYLE, PINNED], ids=["versions-read-off-the-file", "versions-pinned"])
@pytest.mark.parametrize(
    ("before", "after"),
    [
        ('flag = True\n"""Not yet the docstring."""\nvalue = 1\n', '"""Not yet the docstring."""\nvalue = 1\n'),
        ('# a comment\nflag = True\n"""Not yet the docstring."""\nvalue = 1\n', '# a comment\n"""Not yet the docstring."""\nvalue = 1\n'),
    ],
    ids=["statement-above-deleted", "below-a-comment"],
)
def test_a_string_left_first_in_the_file_is_formatted_as_the_module_docstring(before: str, after: str, style: CodeStyle) -> None:
    # deleting what stood above it makes the string the module docstring, and black keeps
    # exactly one blank line after a module docstring: below the snippet
    before, after = before + FILLER, after + FILLER
    assert _black(before, "t.py", style) == before
    whole = _black(after, "t.py", style)
    assert whole != after
    assert _regions(before, after, _run(style), versions_known=style is PINNED) in (None, whole)


def test_an_edit_that_changes_the_versions_read_off_the_file_is_not_answered() -> None:
    # no statement needs Python 3.5, so black writes no comma after **argument_five; an
    # f-string (3.6) or a walrus (3.8) further down, and black adds that comma, far from
    # the change
    call = _clean(
        "result = some_function_name(*argument_number_one, argument_number_two, argument_number_three,"
        " argument_number_four, **argument_five)\n"
    )
    assert call.endswith("**argument_five\n)\n")
    before = call + FILLER
    for added in ('f"{20}"', "(y := 20)"):
        after = before.replace("assert helper(17, 1) == 18", f"assert helper(17, 1) == {added}")
        whole = _black(after, "t.py", STYLE)
        assert "**argument_five,\n" in whole
        assert _regions(before, after, _run(STYLE), versions_known=False) in (None, whole)
    # an edit that brings in no such feature is answered
    after = before.replace("assert helper(17, 1) == 18", "assert helper( 17,1 ) == 18")
    assert _regions(before, after, _run(STYLE), versions_known=False) == _black(after, "t.py", STYLE)
