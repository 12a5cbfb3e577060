import asyncio

import pytest

pytestmark = pytest.mark.asyncio


class Thermostat:
    def __init__(self) -> None:
        self.target = 20.0

    async def set_target(self, value: float) -> None:
        await asyncio.sleep(0)
        self.target = max(5.0, min(value, 30.0))


async def test_target_is_clamped_high():
    thermostat = Thermostat()
    await thermostat.set_target(45)
    assert thermostat.target == 30.0


async def test_target_is_clamped_low():
    thermostat = Thermostat()
    await thermostat.set_target(-3)
    assert thermostat.target == 5.0


class TestThermostat:
    async def test_target_in_range_is_kept(self):
        thermostat = Thermostat()
        await thermostat.set_target(21.5)
        assert thermostat.target == 21.5
