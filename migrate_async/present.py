"""Which byte strings occur in one file's bytes, each looked for at most once.

The scan asks every file of a tree for a few dozen strings (the gate, each surveying
transform's survey triggers, the signs of the plugin, of a loop, of a skip comment), many of
them the same ones, and most of them absent: each absent one costs a pass over the whole
file. :class:`Present` answers ``needle in present`` exactly as ``needle in data`` would, but
looks each string up once per file, and answers "absent" without a pass for a string that
contains a shorter one known to be absent (:data:`ROOTS`: ``event_loop``, ``loop(`` and
``pytest_asyncio_loop_factories`` all contain ``loop``).
"""

from __future__ import annotations

#: Short strings many of the strings asked contain: each is looked for first in every file,
#: so that where it is absent (most files of a big tree) none of those is looked for.
ROOTS = (b"async", b"loop")

#: per string asked so far: the roots it contains (other than itself)
_ROOTS_OF: dict[bytes, tuple[bytes, ...]] = {}
#: per root: the strings asked so far that contain it, each answered False (what a file
#: without the root is told at once: one dict update, not one look-up of each)
_IMPLIED: dict[bytes, dict[bytes, bool]] = {root: {} for root in ROOTS}


class Present(dict[bytes, bool]):
    """``needle in present`` is ``needle in data``, remembered (``present[needle]`` too).

    A dict of the answers so far: an answer known is a dict look-up (``__contains__`` is
    dict's ``__getitem__``, which calls :meth:`__missing__` for a string not asked yet).
    """

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:  # (dict's own __init__ has nothing to do)
        self.data = data
        for root, implied in _IMPLIED.items():
            if root in data:
                self[root] = True
            else:
                self[root] = False
                self.update(implied)

    __contains__ = dict.__getitem__  # type: ignore[assignment]

    def __missing__(self, needle: bytes) -> bool:
        roots = _ROOTS_OF.get(needle)
        if roots is None:
            roots = _ROOTS_OF[needle] = tuple(root for root in ROOTS if root != needle and root in needle)
            for root in roots:
                _IMPLIED[root][needle] = False
        for root in roots:
            if not self[root]:
                self[needle] = False
                return False
        found = self[needle] = needle in self.data
        return found


def bytes_of(data: bytes | Present) -> bytes:
    """The bytes themselves, of bytes or of their :class:`Present`."""
    return data.data if isinstance(data, Present) else data
