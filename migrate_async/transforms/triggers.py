"""Byte-level checks behind the transforms' trigger declarations (no parsing)."""

from __future__ import annotations


def has_word(data: bytes, word: bytes) -> bool:
    """``word`` occurs in ``data`` as a whole identifier."""
    start = data.find(word)
    while start != -1:
        end = start + len(word)
        before = data[start - 1 : start]
        after = data[end : end + 1]
        if not (before.isalnum() or before == b"_") and not (after.isalnum() or after == b"_"):
            return True
        start = data.find(word, start + 1)
    return False
