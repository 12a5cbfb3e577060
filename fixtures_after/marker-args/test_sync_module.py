"""Slug tests copied from an async module, marks and all."""
import re


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def test_slug_lowercases():
    assert slugify("Hello World") == "hello-world"


def test_slug_strips_punctuation():
    assert slugify("  Rock & Roll! ") == "rock-roll"
