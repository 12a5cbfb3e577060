import asyncio

import pytest
import pytest_asyncio


class App:
    """The storefront app: its background workers live in the loop that started it."""

    def __init__(self, settings):
        self.settings = settings
        self.loop = asyncio.get_running_loop()
        self.events = asyncio.Queue()

    async def emit(self, name):
        assert asyncio.get_running_loop() is self.loop, "app used from another loop"
        await self.events.put(name)


@pytest.fixture(scope="session")
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="session")
def settings():
    return {"currency": "EUR", "tax_rate": 0.2}


@pytest_asyncio.fixture(scope="session")
async def app(settings):
    return App(settings)
