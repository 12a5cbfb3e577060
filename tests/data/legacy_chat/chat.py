"""A small in-process chat service whose objects belong to the loop that started it."""

from __future__ import annotations

import asyncio


class ChatServer:
    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.rooms: dict[str, list[str]] = {}
        self._stopped: asyncio.Future | None = None

    async def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        self._stopped = self.loop.create_future()

    async def stop(self) -> None:
        assert asyncio.get_running_loop() is self.loop, "stopped from another loop"
        self._stopped.set_result(None)

    async def open_room(self, name: str) -> str:
        assert asyncio.get_running_loop() is self.loop, "used from another loop"
        self.rooms[name] = []
        return name

    async def close_room(self, name: str) -> None:
        assert asyncio.get_running_loop() is self.loop, "used from another loop"
        self.rooms.pop(name, None)

    async def post(self, room: str, text: str) -> int:
        assert asyncio.get_running_loop() is self.loop, "used from another loop"
        await asyncio.sleep(0)
        self.rooms[room].append(text)
        return len(self.rooms[room])
