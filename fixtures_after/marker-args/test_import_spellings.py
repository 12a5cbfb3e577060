"""Geocoding tests that import pytest's mark object directly."""
import asyncio

from pytest import mark

pytestmark = [mark.asyncio(loop_scope="module")]

_loops: list[asyncio.AbstractEventLoop] = []

_STREETS = {"10 Downing St": (51.5034, -0.1276)}


async def geocode(address: str) -> tuple[float, float]:
    await asyncio.sleep(0)
    return _STREETS[address]


async def test_geocode_street():
    _loops.append(asyncio.get_running_loop())
    lat, _ = await geocode("10 Downing St")
    assert round(lat) == 52


async def test_shares_module_loop():
    assert asyncio.get_running_loop() is _loops[0]


@mark.asyncio(loop_scope="class")
class TestReverse:
    async def test_reverse_lookup(self):
        found = [a for a, pos in _STREETS.items() if pos == await geocode("10 Downing St")]
        assert found == ["10 Downing St"]
        assert asyncio.get_running_loop() is not _loops[0]


def test_address_is_title_case():
    assert "10 downing st".title() == "10 Downing St"
