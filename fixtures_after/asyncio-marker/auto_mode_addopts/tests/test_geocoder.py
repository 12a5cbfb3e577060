import asyncio


class Geocoder:
    KNOWN = {"Paris": (48.86, 2.35), "Lima": (-12.05, -77.04)}

    async def locate(self, city: str) -> tuple[float, float] | None:
        await asyncio.sleep(0)
        return self.KNOWN.get(city)


async def test_known_city_is_located():
    assert await Geocoder().locate("Lima") == (-12.05, -77.04)


async def test_unknown_city_is_none():
    assert await Geocoder().locate("Atlantis") is None
