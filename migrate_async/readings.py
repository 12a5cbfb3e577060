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
much: the project model's, so many characters of text; the survey's, so much weight of
text (:func:`tree_weight`, which follows what a tree takes better than its characters do).
The oldest is given up first: a miss costs a parse, never a wrong answer.
"""

from __future__ import annotations

import ast
import codecs
from collections.abc import Callable

#: the characters of text the project model's trees may hold until the survey takes them
OFFERED_TEXT = 256_000
#: what the survey's trees may weigh (:func:`tree_weight`) until the glance takes them, and
#: what one of them may weigh at most. Measured on the real trees: 170 of the 175 modules
#: the survey reads are glanced again (1.22 M characters, weighing about twice that); at
#: 600,000 characters a third of the glances parsed again, and a ``diff --jobs 1`` took
#: 5.43 s of CPU against 5.13 s with all kept, for 16 MB more peak memory (126 → 142 MB).
#: A tree costs at most about 55 bytes per unit of weight (dict literals; ordinary test code
#: 15 to 25, its docstrings and comments weighing little), so the shelf holds at most some
#: 165 MB, whatever the text: past its limit a module costs one parse more, never memory
KEPT_WEIGHT = 3_000_000
KEPT_ONE = 200_000


def tree_weight(text: str) -> int:
    """About what the ``ast`` tree of ``text`` takes, in units of some 15 to 55 bytes: its
    characters, and more for what makes nodes (a statement per line; an argument, element
    or call per comma, bracket, dot, ``=`` or ``:``). Measured with tracemalloc: ordinary
    test code takes about 33 bytes per character, a list of a thousand small dicts 100, a
    module of one-line calls 260; weighed so, all of them fall within that range."""
    nodes = text.count(",") + text.count("(") + text.count("[") + text.count(".") + text.count("=") + text.count(":")
    return len(text) + 6 * nodes + 20 * text.count("\n")


class _Shelf:
    """Trees by the text they were parsed from, up to ``limit`` of their texts' weight
    (``weigh``: characters unless told), none of more than ``most``."""

    def __init__(self, limit: int, most: int | None = None, weigh: Callable[[str], int] = len) -> None:
        self.limit = limit
        self.most = limit if most is None else most
        self.weigh = weigh
        self.trees: dict[str, ast.Module] = {}
        self.weights: dict[str, int] = {}
        self.size = 0

    def put(self, text: str, tree: ast.Module) -> None:
        if text in self.trees:
            return
        weight = self.weigh(text)
        if weight > self.most:
            return
        self.trees[text] = tree
        self.weights[text] = weight
        self.size += weight
        while self.size > self.limit:
            oldest = next(iter(self.trees))
            self.size -= self.weights.pop(oldest)
            del self.trees[oldest]

    def take(self, text: str) -> ast.Module | None:
        if not self.trees:
            return None
        tree = self.trees.pop(text, None)
        if tree is not None:
            self.size -= self.weights.pop(text)
        return tree

    def clear(self) -> None:
        self.trees.clear()
        self.weights.clear()
        self.size = 0


_offered = _Shelf(OFFERED_TEXT)
_kept = _Shelf(KEPT_WEIGHT, KEPT_ONE, tree_weight)


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
