"""Checks for the template renderer; this module never needed pytest itself."""

import asyncio
import string

import pytest


async def render(template: str, **values: str) -> str:
    await asyncio.sleep(0)
    return string.Template(template).substitute(values)


@pytest.mark.asyncio
async def test_render_substitutes_values():
    assert await render("Hello $name", name="Ada") == "Hello Ada"


@pytest.mark.asyncio
async def test_render_leaves_plain_text_alone():
    assert await render("no placeholders") == "no placeholders"
