"""The LibCST node readings and small edits sync-to-async's phases share (nothing about pytest)."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from ...cstkit.edits import opening_lines


def functions(body: Sequence[cst.BaseStatement]) -> list[cst.FunctionDef]:
    """The functions of a module or class body, those of its classes included."""
    found: list[cst.FunctionDef] = []
    for stmt in body:
        if isinstance(stmt, cst.FunctionDef):
            found.append(stmt)
        elif isinstance(stmt, cst.ClassDef) and isinstance(stmt.body, cst.IndentedBlock):
            found.extend(functions(stmt.body.body))
    return found


def indented(body: cst.BaseSuite) -> cst.IndentedBlock:
    """A function body as an indented block (a one-line body goes onto a line of its own)."""
    if isinstance(body, cst.IndentedBlock):
        return body
    assert isinstance(body, cst.SimpleStatementSuite)
    return cst.IndentedBlock(header=body.trailing_whitespace, body=[cst.SimpleStatementLine(body=body.body)])


# the words before "loop" that make it the noun the removed line binds ("the loop", "an event
# loop"); "loop" alone may be the verb ("# loop over the images")
_LOOP_DETERMINERS = frozenset({
    "a", "an", "the", "this", "that", "its", "our", "their", "same", "own", "event", "running",
    "current", "default", "new", "asyncio", "fixture's", "test's",
})


def speaks_of_the_loop(comment: str) -> bool:
    """Whether a comment names the event loop as a thing (``# the loop the fixture drives``,
    ``# get_event_loop() is deprecated``), not ``loop`` as a verb (``# loop over the images``)."""
    text = comment.lower()
    if "event_loop" in text or "eventloop" in text:
        return True
    words = text.replace("-", " ").replace("`", " ").split()
    return any(
        word.strip(".,:;()") == "loop" and words[at - 1].strip(".,:;()") in _LOOP_DETERMINERS
        for at, word in enumerate(words) if at > 0
    )


def kept_leading_lines(lines: Sequence[cst.EmptyLine]) -> list[cst.EmptyLine]:
    """The leading lines of a removed loop line that stay: all but the paragraph of comments
    directly above it (no blank line between) when that paragraph opens by speaking of the loop
    (:func:`speaks_of_the_loop`): it was about the removed line. When unsure, a comment stays."""
    start = len(lines)
    while start and lines[start - 1].comment is not None:
        start -= 1
    paragraph = lines[start:]
    if paragraph and speaks_of_the_loop(paragraph[0].comment.value):  # type: ignore[union-attr]
        return list(lines[:start])
    return list(lines)


def keep_comments_of_removed(
    original: cst.IndentedBlock, updated: cst.IndentedBlock, removed: set[cst.CSTNode], doubled: set[cst.CSTNode]
) -> cst.IndentedBlock:
    """``updated`` (``original`` with the ``removed`` statements gone and a line added after
    each of ``doubled``) where the comments above a removed statement go on above the next
    one with the blank lines above them (below the last statement when it was the last),
    unless they were about it (:func:`kept_leading_lines`), and a statement that now opens
    the block has no blank line above it."""
    body = list(updated.body)
    carried: list[cst.EmptyLine] = []
    at, opening = 0, True
    for stmt in original.body:
        if stmt in removed:
            lines = kept_leading_lines(getattr(stmt, "leading_lines", ()))
            if any(line.comment is not None for line in lines):
                carried += lines  # with the blank lines above them: a paragraph stays one
            continue
        if at >= len(body):
            break
        if carried or opening:
            leading = [*carried, *body[at].leading_lines]
            if opening:
                leading = opening_lines(leading)
            body[at] = body[at].with_changes(leading_lines=leading)
            carried = []
        opening = False
        at += 2 if stmt in doubled else 1
    if carried and body:
        # the removed statements closed the block: their comments close it
        return updated.with_changes(body=body, footer=[*carried, *updated.footer])
    return updated.with_changes(body=body)
