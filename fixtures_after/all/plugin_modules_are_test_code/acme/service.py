import asyncio


class Service:
    def __init__(self):
        self.ready = asyncio.Event()

    async def start(self):
        await asyncio.sleep(0)
        self.ready.set()
        return self
