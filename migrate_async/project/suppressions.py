"""What a comment says the code means on purpose: linters' ``noqa``, intent, our own skips.

- ``# migrate-async: skip`` on a statement's line (for a function or class: its ``def`` /
  ``class`` line or one of its decorator lines) keeps that statement as it is, for every
  transform; ``# migrate-async: skip-file`` on a line of its own keeps the whole file.
- A blocking call with ``# noqa`` (bare) or a ``# noqa:`` naming a flake8-async / ruff ASYNC
  code (ASYNC251 today, ASYNC101 or TRIO1xx in older releases), or with a comment on its line
  or the line above saying the blocking is deliberate, blocks on purpose.

Comments are read from LibCST's nodes (or, for skip-file, from whole lines that are comments),
never matched against code.
"""

from __future__ import annotations

SKIP = "migrate-async: skip"
SKIP_FILE = "migrate-async: skip-file"

#: Code prefixes of flake8-async (and its predecessor flake8-trio) as ruff and flake8 spell them.
BLOCKING_CODE_PREFIXES = ("ASYNC", "TRIO")

#: Words that, in a comment next to a blocking call, say the blocking is meant.
INTENT_WORDS = (
    "on purpose",
    "purposeful",
    "deliberate",
    "intentional",
    "intended",
    "block",
    "time.sleep",
    "sync sleep",
    "synchronous sleep",
)


def noqa_codes(comment: str | None) -> frozenset[str] | None:
    """The codes a ``# noqa`` comment names (empty for a bare ``# noqa``); None without one."""
    if not comment:
        return None
    lowered = comment.lower()
    at = lowered.find("noqa")
    if at < 0 or "#" not in comment[:at]:
        return None
    rest = comment[at + 4 :]
    if not rest.lstrip().startswith(":"):
        return frozenset()
    codes = rest.lstrip()[1:].replace(",", " ").split()
    return frozenset(code.strip().upper() for code in codes if code.strip()[:1].isalpha())


def silences_blocking(comment: str | None) -> bool:
    """A bare ``# noqa``, or one that names an ASYNC/TRIO code."""
    codes = noqa_codes(comment)
    if codes is None:
        return False
    return not codes or any(code.startswith(BLOCKING_CODE_PREFIXES) for code in codes)


def says_blocking_is_meant(comment: str | None) -> bool:
    """A comment that says the blocking is deliberate (``# Block purposefully``, "time.sleep
    is a more challenging scenario than asyncio.sleep")."""
    if not comment:
        return False
    text = comment.lower()
    return any(word in text for word in INTENT_WORDS)


def is_skip(comment: str | None) -> bool:
    """``# migrate-async: skip`` (and not ``skip-file``, which is said of a file)."""
    if not comment:
        return False
    at = comment.find(SKIP)
    if at < 0:
        return False
    rest = comment[at + len(SKIP) :]
    return not rest.startswith("-")


def skips_file(source: str) -> bool:
    """Whether a line of its own says ``# migrate-async: skip-file``."""
    if SKIP_FILE not in source:
        return False
    for line in source.splitlines():
        text = line.strip()
        if text.startswith("#") and SKIP_FILE in text:
            return True
    return False
