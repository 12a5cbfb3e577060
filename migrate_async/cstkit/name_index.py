"""Which identifiers occur under each node of a LibCST tree, without walking it again.

A LibCST transformer walk rebuilds every node it enters: on a test module it costs about
as much as the parse. Most transforms only care about subtrees that mention a few names
(``sleep``, ``get_event_loop``, ``run_until_complete``), and the import clean-up only
needs to know whether a name is still read anywhere. :class:`NameIndex` answers both from
one read-only pass that skips whitespace and tokens, about a tenth of a parse.

Masks are memoised per node object, and unchanged subtrees keep their identity across
transforms, so after a transform edits a file only the new nodes (the edited paths) are
scanned again. The index keeps every node it has seen alive, so node identities are
never reused within one file.

Each identifier gets two bits: one for a *read* (a ``Name`` that can refer to a binding,
including a name in a string annotation) and one for a *mention* that is not a read (the
attribute of ``x.name``, the keyword of ``f(name=...)``).
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Iterable
from typing import Any

import libcst as cst

# Fields that only hold whitespace, comments or punctuation: no identifier lives there.
_SKIPPED_FIELDS = frozenset({
    "lpar", "rpar", "leading_lines", "lines_after_decorators", "header", "footer",
    "trailing_whitespace", "comma", "semicolon", "newline", "equal", "colon", "operator",
    "whitespace", "dot", "asynchronous", "default_indent", "default_newline", "encoding",
    "has_trailing_newline", "lbracket", "rbracket", "lbrace", "rbrace",
})

_FIELDS: dict[type, tuple[str, ...]] = {}


def skipped_field(name: str) -> bool:
    """Whether a node field of this name only ever holds whitespace, comments or tokens."""
    return name in _SKIPPED_FIELDS or name.startswith("whitespace")


#: type → whether it is a CSTNode subclass (read directly by the hot loops here and in walk)
NODE_TYPES: dict[type, bool] = {}


def is_node_type(kind: type) -> bool:
    """``issubclass(kind, cst.CSTNode)``, cached: an ABC ``isinstance`` check at every
    field of every node is a measurable share of a walk."""
    found = NODE_TYPES.get(kind)
    if found is None:
        found = NODE_TYPES[kind] = issubclass(kind, cst.CSTNode)
    return found


def _fields_of(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls) if not skipped_field(f.name))
    return names


READ = 0
MENTION = 1

#: A pseudo-identifier (a keyword, so no Name can clash) for ``yield`` expressions; it does
#: not reach past the function, lambda or class it occurs in.
_YIELD = "yield"
#: The prefix of the pseudo-identifier a string gives a name it may read as an annotation
#: (no Name can start with it): query(strings=False) tells code reads from those.
_STRING = "'"
_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)


class NameIndex:
    """Identifier masks of the nodes of one file's trees."""

    def __init__(self) -> None:
        self._memo: dict[int, int] = {}  # id(node) → mask
        self._alive: list[cst.CSTNode] = []
        self._bits: dict[str, int] = {}  # identifier → its number
        self._reads: dict[str, int] = {}  # identifier → its read bit
        #: The last ImportMap built for a tree of this file, with what it was built from
        #: (see ImportMap.collect): most transforms leave the imports as they found them.
        self.last_imports: tuple[Any, ...] | None = None

    # -- queries -------------------------------------------------------------------------
    def query(
        self, reads: Iterable[str] = (), attributes: Iterable[str] = (), mentions: Iterable[str] = (),
        strings: bool = True,
    ) -> int:
        """A mask for :meth:`mentions`: any read of ``reads``, any use of ``attributes`` as
        an attribute or keyword (``x.name``, ``f(name=...)``), any occurrence of
        ``mentions`` (either). Names the file never had cannot match. A string that may be
        an annotation (``"asyncio.Future"``) reads the names it starts with, unless
        ``strings`` is False."""
        mask = 0
        for names, bits in ((reads, 1 << READ), (attributes, 1 << MENTION), (mentions, 1 << READ | 1 << MENTION)):
            for name in names:
                index = self._bits.get(name)
                if index is not None:
                    mask |= bits << (2 * index)
                if strings and bits & 1 << READ:
                    index = self._bits.get(_STRING + name)
                    if index is not None:
                        mask |= 1 << (2 * index + READ)
        return mask

    def mentions(self, node: cst.CSTNode, query: int) -> bool:
        """Whether ``node`` matches ``query`` (built after the masks of the trees it is
        about: a name first seen later has no bit in it; :meth:`has` takes care of that)."""
        return bool(self.mask(node) & query)

    def has(self, node: cst.CSTNode, reads: Iterable[str] = (), attributes: Iterable[str] = (),
            mentions: Iterable[str] = ()) -> bool:
        """Whether ``node`` holds any of these (see :meth:`query`), its mask computed first."""
        mask = self.mask(node)
        return bool(mask & self.query(reads, attributes, mentions))

    def reads(self, node: cst.CSTNode, name: str) -> bool:
        mask = self.mask(node)  # first: it may give the name its bit
        return bool(mask & self.query(reads=(name,)))

    def yields(self, body: cst.CSTNode) -> bool:
        """Whether ``body`` holds a ``yield`` of its own (not in a nested function,
        lambda or class): the body of a generator."""
        return self.reads(body, _YIELD)

    # -- building ------------------------------------------------------------------------
    def _bit(self, name: str, kind: int) -> int:
        index = self._bits.get(name)
        if index is None:
            index = self._bits[name] = len(self._bits)
        return 1 << (2 * index + kind)

    def _read_bit(self, name: str) -> int:
        bit = self._reads.get(name)
        if bit is None:
            bit = self._reads[name] = self._bit(name, READ)
        return bit

    def mask(self, node: cst.CSTNode) -> int:
        found = self._memo.get(id(node))
        if found is not None:
            return found
        cls = type(node)
        if cls is cst.Name:
            return self._read_bit(node.value)  # type: ignore[attr-defined]
        if cls is cst.Attribute:
            mask = self.mask(node.value) | self._bit(node.attr.value, MENTION)  # type: ignore[attr-defined]
        elif cls is cst.Arg:
            keyword = node.keyword  # type: ignore[attr-defined]
            mask = self.mask(node.value)  # type: ignore[attr-defined]
            if keyword is not None:
                mask |= self._bit(keyword.value, MENTION)
        elif cls is cst.Yield:
            mask = self._read_bit(_YIELD) | self._children_mask(node, cls)
        elif cls is cst.SimpleString:
            mask = 0
            for name in annotation_heads(node):  # type: ignore[arg-type]
                mask |= self._read_bit(_STRING + name)
        else:
            mask = self._children_mask(node, cls)
            if cls in _SCOPES and _YIELD in self._reads:
                # a yield in a nested function, lambda or class is not this scope's own
                mask &= ~self._reads[_YIELD]
        self._memo[id(node)] = mask
        self._alive.append(node)  # its id stays its own while the memo holds it
        return mask

    def _children_mask(self, node: cst.CSTNode, cls: type) -> int:
        # All the fields worth reading come in one call; Names (a third of all nodes) are
        # handled here, without a call or a memo entry; node types are looked up in the
        # cache directly (a call per field costs).
        mask = 0
        reads = self._reads
        node_types = NODE_TYPES
        getter = _GETTERS.get(cls) or _getter(cls)
        for value in getter(node):
            kind = type(value)
            if kind is cst.Name:
                mask |= reads.get(value.value) or self._read_bit(value.value)
            elif kind is tuple or kind is list:
                for child in value:
                    child_kind = type(child)
                    if child_kind is cst.Name:
                        mask |= reads.get(child.value) or self._read_bit(child.value)
                    elif node_types.get(child_kind) or (child_kind not in node_types and is_node_type(child_kind)):
                        mask |= self.mask(child)
            elif node_types.get(kind) or (kind not in node_types and is_node_type(kind)):
                mask |= self.mask(value)
        return mask


#: type → a function returning the values of its fields worth reading, as a tuple
_GETTERS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def _getter(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    names = _fields_of(cls)
    if len(names) == 1:
        single = operator.attrgetter(names[0])
        getter: Callable[[Any], tuple[Any, ...]] = lambda node: (single(node),)  # noqa: E731
    elif names:
        getter = operator.attrgetter(*names)
    else:
        getter = lambda node: ()  # noqa: E731
    _GETTERS[cls] = getter
    return getter


def annotation_heads(string: cst.SimpleString) -> list[str]:
    """The names a string annotation reads (``"pytest.FixtureRequest"`` → ``pytest``,
    ``"list[Item] | None"`` → ``list``, ``Item``, ``None``); prose and bytes read none
    (an f-string is a node of its own, whose expressions are indexed as code)."""
    if "b" in string.prefix.lower():
        return []
    inner = string.raw_value
    if not inner or len(inner) > 200 or "\\" in inner or "\n" in inner or "\t" in inner:
        return []
    if " " in inner.replace(", ", ",").replace(" | ", "|"):
        return []
    heads = []
    for token in inner.replace("[", ",").replace("]", ",").replace("|", ",").replace(" ", "").split(","):
        head = token.split(".")[0]
        if head.isidentifier():
            heads.append(head)
    return heads
