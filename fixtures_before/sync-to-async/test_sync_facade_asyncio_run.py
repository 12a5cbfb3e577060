"""The sync facade of the geocoding client: sync callers get asyncio.run() under the hood."""
import asyncio

import pytest

KNOWN_PLACES = {"Berlin": (52.52, 13.40), "Lisbon": (38.72, -9.14)}


async def geocode(place):
    await asyncio.sleep(0)
    return KNOWN_PLACES[place]


def geocode_sync(place):
    """For scripts and notebooks that have no event loop of their own."""
    return asyncio.run(geocode(place))


def geocode_many_sync(places):
    async def _all():
        return await asyncio.gather(*(geocode(p) for p in places))

    return asyncio.run(_all())


def test_sync_facade_returns_coordinates():
    assert geocode_sync("Berlin") == (52.52, 13.40)


def test_sync_facade_handles_batches():
    assert geocode_many_sync(["Berlin", "Lisbon"]) == [(52.52, 13.40), (38.72, -9.14)]


def test_unknown_place_raises():
    with pytest.raises(KeyError):
        geocode_sync("Atlantis")


if __name__ == "__main__":
    print(asyncio.run(geocode("Lisbon")))
