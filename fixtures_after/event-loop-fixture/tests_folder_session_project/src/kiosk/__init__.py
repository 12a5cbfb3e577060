"""The application; nothing here is a test."""

import asyncio


class Screen:
    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.lines: list[str] = []

    async def show(self, text: str) -> None:
        await asyncio.sleep(0)
        self.lines.append(text)
