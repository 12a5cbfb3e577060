"""Module trees read with ``ast`` once, kept for the next reader of the same text.

Two readers read many test modules twice, each for its own question:

- The project model reads some test modules before the scan (pytest_model.aiohttp_requests:
  what an aiohttp project's tests request); the survey reads the same modules again as it
  scans them (pytest_model.event_loop). A tree read first is offered under the text the
  survey will read (:func:`offer_tree`), taken once by it (:func:`take_tree`), and given up
  when the scan ends (:func:`forget_offered`; engine.pipeline.run also gives up, as it
  starts and however it ends, what is left). Only bytes with no BOM and no coding line are
  offered: the survey decodes them as UTF-8 (as engine.files.decode does), as
  ``ast.parse`` of the bytes did, so the text is the same and so is the tree.
- The survey reads a module to learn what it asks of the loop (pytest_model.event_loop);
  when the module is rewritten later in the same process, the engine reads it again to
  tell whether any transform has something to do in it (engine.prefilter.idle_transforms).
  The survey keeps its tree for that (:func:`keep_for_glance`), under the text both decode
  the same way (engine.files.decode), and the glance takes it (:func:`take_for_glance`):
  on a real tree, most modules the survey reads are looked at again afterwards. What is
  left is given up as the run ends (:func:`forget_kept`, engine.pipeline.run); a worker
  process of ``--jobs`` keeps what its own surveys read, for the files it rewrites.

A tree is only read once kept (nobody changes an ``ast`` tree here), and only a tree
``ast.parse`` gave for exactly that text is kept under it. Each shelf holds at most so
many characters of text (an ``ast`` tree takes about thirty bytes for each), the oldest
given up first: a miss costs a parse, never a wrong answer.
"""

from __future__ import annotations

import ast
import codecs

#: the characters of text the project model's trees may hold until the survey takes them
OFFERED_TEXT = 256_000
#: the characters of text the survey's trees may hold until the glance takes them. An
#: ``ast`` tree takes about 50 bytes per character of ordinary test code, and several times
#: that for long literal data, so a module of more than KEPT_ONE characters is not kept at
#: all. Measured on the real trees (170 of the 175 modules the survey reads are glanced
#: again, 1.22 M characters): at 600,000 characters a third of the glances parsed again,
#: and a ``diff --jobs 1`` took 5.43 s of CPU against 5.13 s with all kept, for 16 MB more
#: peak memory (126 → 142 MB); a tree that holds more still costs one parse per module
#: past the limit, never more memory
KEPT_TEXT = 1_500_000
KEPT_ONE = 100_000


class _Shelf:
    """Trees by the text they were parsed from, up to ``limit`` characters of text, none
    of more than ``most``."""

    def __init__(self, limit: int, most: int | None = None) -> None:
        self.limit = limit
        self.most = limit if most is None else most
        self.trees: dict[str, ast.Module] = {}
        self.size = 0

    def put(self, text: str, tree: ast.Module) -> None:
        if len(text) > self.most or text in self.trees:
            return
        self.trees[text] = tree
        self.size += len(text)
        while self.size > self.limit:
            oldest = next(iter(self.trees))
            self.size -= len(oldest)
            del self.trees[oldest]

    def take(self, text: str) -> ast.Module | None:
        if not self.trees:
            return None
        tree = self.trees.pop(text, None)
        if tree is not None:
            self.size -= len(text)
        return tree

    def clear(self) -> None:
        self.trees.clear()
        self.size = 0


_offered = _Shelf(OFFERED_TEXT)
_kept = _Shelf(KEPT_TEXT, KEPT_ONE)


def offer_tree(data: bytes, tree: ast.Module) -> None:
    """Offer ``tree``, which ``ast.parse(data)`` gave (not to be changed by anyone)."""
    if data.startswith(codecs.BOM_UTF8) or b"coding" in b"\n".join(data.split(b"\n", 2)[:2]):
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    _offered.put(text, tree)


def take_tree(text: str) -> ast.Module | None:
    """The tree offered for ``text`` (once), or None."""
    return _offered.take(text)


def forget_offered() -> None:
    """Give up the trees offered and not taken."""
    _offered.clear()


def keep_for_glance(text: str, tree: ast.Module) -> None:
    """Keep ``tree``, which ``ast.parse(text)`` gave, for the glance at the same text."""
    _kept.put(text, tree)


def take_for_glance(text: str) -> ast.Module | None:
    """The tree the survey kept for ``text`` (once), or None."""
    return _kept.take(text)


def forget_kept() -> None:
    """Give up the trees kept for the glance and not taken."""
    _kept.clear()
