"""Module trees read with ``ast`` before the survey, kept for it.

The project model reads some test modules before the scan (pytest_model.aiohttp_requests:
what an aiohttp project's tests request); the survey reads the same modules again as it
scans them (pytest_model.event_loop). A tree read first is offered here under the text the
survey will read, taken once by it, and given up when the scan ends (:func:`forget_offered`;
engine.pipeline.run also gives up, as it starts and however it ends, what is left).
Only bytes with no BOM and no coding line are offered: the survey decodes them as UTF-8 (as
engine.files.decode does), as ``ast.parse`` of the bytes did, so the text is the same and so
is the tree. At most OFFERED_TEXT characters are kept, the oldest given up first.
"""

from __future__ import annotations

import ast
import codecs

OFFERED_TEXT = 256_000

_offered: dict[str, ast.Module] = {}
_size = [0]  # the characters of the texts offered


def offer_tree(data: bytes, tree: ast.Module) -> None:
    """Offer ``tree``, which ``ast.parse(data)`` gave (not to be changed by anyone)."""
    if data.startswith(codecs.BOM_UTF8) or b"coding" in b"\n".join(data.split(b"\n", 2)[:2]):
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    if len(text) > OFFERED_TEXT or text in _offered:
        return
    _offered[text] = tree
    _size[0] += len(text)
    while _size[0] > OFFERED_TEXT:
        oldest = next(iter(_offered))
        _size[0] -= len(oldest)
        del _offered[oldest]


def take_tree(text: str) -> ast.Module | None:
    """The tree offered for ``text`` (once), or None."""
    if not _offered:
        return None
    tree = _offered.pop(text, None)
    if tree is not None:
        _size[0] -= len(text)
    return tree


def forget_offered() -> None:
    """Give up the trees offered and not taken."""
    _offered.clear()
    _size[0] = 0
