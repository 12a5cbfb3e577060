import asyncio
import json

import pytest


async def fetch_feature_flags() -> str:
    await asyncio.sleep(0)
    return json.dumps({"dark_mode": True, "beta_search": False})


@pytest.fixture(name="flags")
async def feature_flags_fixture():
    return json.loads(await fetch_feature_flags())


@pytest.fixture(name="enabled_flags", scope="function", autouse=False)
async def _enabled(flags):
    return sorted(name for name, on in flags.items() if on)


@pytest.mark.asyncio
async def test_flags_are_parsed(flags):
    assert flags == {"dark_mode": True, "beta_search": False}


@pytest.mark.asyncio
async def test_only_enabled_flags_listed(enabled_flags):
    assert enabled_flags == ["dark_mode"]
