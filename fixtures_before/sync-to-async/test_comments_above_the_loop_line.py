"""A comment above the removed loop line stays when it speaks of something else; one about the loop goes with it."""
import asyncio

import pytest


@pytest.fixture
def images():
    # Prepare the images every test reads.
    event_loop = asyncio.get_event_loop()

    async def pull():
        await asyncio.sleep(0)
        return ["alpine"]

    return event_loop.run_until_complete(pull())


@pytest.fixture
def cache():
    # the loop the fixture drives
    loop = asyncio.get_event_loop()
    # warm it first
    return loop.run_until_complete(asyncio.sleep(0, result={"warm": True}))


@pytest.mark.asyncio
async def test_images(images, cache):
    assert images == ["alpine"]
    assert cache == {"warm": True}
