"""Plugin registry tests: the module's loop also started each run from a clean registry."""

import asyncio

import pytest

pytestmark = pytest.mark.asyncio(loop_scope="module")

REGISTRY = {}


def reset_registry():
    REGISTRY.clear()
    REGISTRY["handlers"] = []


async def register(handler):
    await asyncio.sleep(0)
    REGISTRY["handlers"].append(handler)
    return len(REGISTRY["handlers"])


@pytest.fixture(scope="module", autouse=True)
def _reset_registry():
    reset_registry()


async def test_first_handler_is_registered():
    assert await register("audit") == 1


async def test_handlers_accumulate_over_the_module():
    assert await register("metrics") == 2
    assert REGISTRY["handlers"] == ["audit", "metrics"]
