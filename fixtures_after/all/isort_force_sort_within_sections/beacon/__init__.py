"""A tiny announcement service: a server that answers each name with its address."""

import asyncio


class Announcer:
    def __init__(self, addresses: dict[str, str]) -> None:
        self.addresses = addresses
        self.loop: asyncio.AbstractEventLoop | None = None
        self.server: asyncio.Server | None = None

    async def start(self) -> int:
        self.loop = asyncio.get_running_loop()
        self.server = await asyncio.start_server(self._answer, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()

    async def _answer(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        name = (await reader.readline()).decode().strip()
        writer.write(f"{self.addresses.get(name, '?')}\n".encode())
        await writer.drain()
        writer.close()
        await writer.wait_closed()


async def query(port: int, name: str, timeout: float) -> str:
    """The address the announcer on ``port`` gives for ``name`` (within ``timeout`` seconds)."""

    async def ask() -> str:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"{name}\n".encode())
        await writer.drain()
        answer = await reader.readline()
        writer.close()
        await writer.wait_closed()
        return answer.decode().strip()

    return await asyncio.wait_for(ask(), timeout=timeout)
