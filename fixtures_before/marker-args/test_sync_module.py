"""Slug tests copied from an async module, marks and all."""
import re

import pytest


def slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


@pytest.mark.asyncio
def test_slug_lowercases():
    assert slugify("Hello World") == "hello-world"


@pytest.mark.asyncio
def test_slug_strips_punctuation():
    assert slugify("  Rock & Roll! ") == "rock-roll"
