"""Plugin registry tests: the module's loop also started each run from a clean registry."""

import asyncio

import pytest

REGISTRY = {}


def reset_registry():
    REGISTRY.clear()
    REGISTRY["handlers"] = []


async def register(handler):
    await asyncio.sleep(0)
    REGISTRY["handlers"].append(handler)
    return len(REGISTRY["handlers"])


@pytest.fixture(scope="module")
def event_loop():
    reset_registry()
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.mark.asyncio
async def test_first_handler_is_registered():
    assert await register("audit") == 1


@pytest.mark.asyncio
async def test_handlers_accumulate_over_the_module():
    assert await register("metrics") == 2
    assert REGISTRY["handlers"] == ["audit", "metrics"]
