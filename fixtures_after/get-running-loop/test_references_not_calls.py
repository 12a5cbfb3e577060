import asyncio
from unittest import mock

import pytest


def legacy_loop_lookup():
    return asyncio.get_running_loop()


def test_patch_target_is_a_string():
    with mock.patch("asyncio.get_event_loop") as fake:
        assert asyncio.get_event_loop is fake


def test_monkeypatched_lookup(monkeypatch):
    monkeypatch.setattr(asyncio, "get_event_loop", legacy_loop_lookup)
    assert asyncio.get_event_loop is legacy_loop_lookup


@pytest.mark.asyncio
async def test_lookup_function_passed_as_value():
    lookups = {"old": asyncio.get_event_loop, "new": asyncio.get_running_loop}
    assert lookups["new"]() is legacy_loop_lookup()
    assert callable(lookups["old"])
