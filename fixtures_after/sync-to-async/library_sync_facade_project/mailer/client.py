"""A mail client with a coroutine API and a sync facade over it."""
import asyncio

from mailer.sync import async_to_sync


class Client:
    def __init__(self):
        self.connected = False
        self.sent = []

    async def connect(self):
        await asyncio.sleep(0)
        self.connected = True

    async def send(self, message):
        await asyncio.sleep(0)
        self.sent.append(message)
        return len(self.sent)

    def send_sync(self, message):
        return async_to_sync(self.send(message))
