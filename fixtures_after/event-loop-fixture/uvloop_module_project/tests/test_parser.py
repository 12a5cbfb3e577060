"""Streaming parser benchmarks: this module ran on uvloop through its own event_loop fixture."""

import asyncio

import pytest
import uvloop


async def parse_chunks(chunks):
    lines = []
    for chunk in chunks:
        await asyncio.sleep(0)
        lines.extend(chunk.split("\n"))
    return [line for line in lines if line]


@pytest.mark.asyncio
async def test_parse_chunks(chunks):
    assert await parse_chunks(chunks) == ["a", "b", "c"]


@pytest.mark.asyncio
async def test_runs_on_uvloop():
    assert isinstance(asyncio.get_running_loop(), uvloop.Loop)
