import asyncio

from pytest import fixture, mark


class Thermostat:
    def __init__(self, target: float) -> None:
        self.target = target
        self.current = 15.0

    async def heat(self, steps: int) -> None:
        for _ in range(steps):
            await asyncio.sleep(0)
            self.current = min(self.target, self.current + 1.5)


@fixture
def target_temperature() -> float:
    return 21.0


@fixture
async def thermostat(target_temperature):
    device = Thermostat(target_temperature)
    await device.heat(2)
    return device


@mark.asyncio
async def test_heating_moves_towards_target(thermostat):
    assert thermostat.current == 18.0


@mark.asyncio
async def test_heating_never_overshoots(thermostat, target_temperature):
    await thermostat.heat(10)
    assert thermostat.current == target_temperature
