"""The asyncio mark comes with the imported pytestmark: nothing to add."""
import asyncio

from .conftest import pytestmark  # noqa: F401


async def test_runs_on_a_loop():
    assert asyncio.get_running_loop().is_running()
