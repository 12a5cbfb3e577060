"""Tests for a loop watchdog: they block the loop on purpose."""
import asyncio
import logging
import time

import pytest


@pytest.mark.asyncio
async def test_blocking_callback_is_logged(caplog):
    loop = asyncio.get_running_loop()
    loop.set_debug(True)
    loop.slow_callback_duration = 0.01
    with caplog.at_level(logging.WARNING, logger="asyncio"):

        async def hog() -> None:
            time.sleep(0.02)

        await asyncio.create_task(hog())
        await asyncio.sleep(0)
    loop.set_debug(False)
    assert any("took" in record.getMessage() for record in caplog.records)
