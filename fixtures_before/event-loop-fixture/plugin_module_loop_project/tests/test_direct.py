import asyncio

import pytest

from tests.fixtures import event_loop


@pytest.mark.asyncio
async def test_an_explicit_import_changes_nothing():
    assert type(asyncio.get_running_loop()).__name__ == "CountingLoop"
