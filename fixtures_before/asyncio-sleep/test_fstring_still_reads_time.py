"""The only read of ``time`` left after the rewrite is inside an f-string: the import stays."""

import time

import pytest


@pytest.mark.asyncio
async def test_status_line_has_a_timestamp():
    time.sleep(0.01)
    line = f"flushed at {time.monotonic():.0f}"
    assert line.startswith("flushed at ")


@pytest.mark.asyncio
async def test_nested_format_spec():
    width = 6
    time.sleep(0)
    assert len(f"{time.monotonic():>{width}.0f}") >= width
