"""A comment above the removed loop line stays when it speaks of something else; one about the loop goes with it."""
import asyncio

import pytest
import pytest_asyncio


@pytest_asyncio.fixture
async def images():
    # Prepare the images every test reads.

    async def pull():
        await asyncio.sleep(0)
        return ["alpine"]

    return await pull()


@pytest_asyncio.fixture
async def cache():
    # warm it first
    return await asyncio.sleep(0, result={"warm": True})


@pytest.mark.asyncio
async def test_images(images, cache):
    assert images == ["alpine"]
    assert cache == {"warm": True}
