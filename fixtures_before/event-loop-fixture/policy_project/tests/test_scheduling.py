import asyncio

import pytest


async def notify(events, name):
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    loop.call_soon(done.set_result, name)
    events.append(await done)


@pytest.mark.asyncio
async def test_runs_on_the_recording_loop():
    assert type(asyncio.get_running_loop()).__name__ == "RecordingLoop"


@pytest.mark.asyncio
async def test_callbacks_are_recorded():
    events = []
    await notify(events, "ready")
    assert events == ["ready"]
    assert "Future.set_result" in asyncio.get_running_loop().scheduled
