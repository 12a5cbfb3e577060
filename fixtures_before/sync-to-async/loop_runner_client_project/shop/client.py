"""Clients bound to the loop they are given (asyncio code from before get_running_loop())."""
import asyncio


class CatalogClient:
    """A blocking client: it logs in when made and answers each call on its loop."""

    def __init__(self, user, *, loop):
        self.loop = loop
        self.session = loop.run_until_complete(self._login(user))

    async def _login(self, user):
        await asyncio.sleep(0)
        return f"session-{user}"

    def price(self, item):
        return self.loop.run_until_complete(self._price(item))

    async def _price(self, item):
        await asyncio.sleep(0)
        return {"apple": 3, "pear": 4}[item]


class OrderTracker:
    """Keeps the loop it is given and a future on it that async code awaits."""

    def __init__(self, loop):
        self.loop = loop
        self.shipped = loop.create_future()

    def ship(self, parcel):
        self.loop.call_soon(self.shipped.set_result, parcel)


def warm_cache(loop, items):
    """Fetches ``items`` into a cache, on the loop it is given."""
    async def fetch(item):
        await asyncio.sleep(0)
        return item, len(item)

    return dict(loop.run_until_complete(asyncio.gather(*(fetch(item) for item in items))))
