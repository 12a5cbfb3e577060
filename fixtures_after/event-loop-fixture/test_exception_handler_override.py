"""Background job runner: the override also records unhandled task errors on its loop."""

import asyncio

import pytest

ERRORS = []


@pytest.fixture
def event_loop():
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(lambda loop, context: ERRORS.append(context["message"]))
    yield loop
    loop.close()


async def run_job(payload):
    await asyncio.sleep(0)
    return payload.upper()


@pytest.mark.asyncio
async def test_job_result():
    assert await run_job("report") == "REPORT"
