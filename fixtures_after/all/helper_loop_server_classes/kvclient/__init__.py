"""A tiny client for a line-based key-value server."""

import asyncio


async def request(host: str, port: int, line: str) -> str:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(line.encode() + b"\n")
        await writer.drain()
        return (await reader.readline()).decode().rstrip("\n")
    finally:
        writer.close()
        await writer.wait_closed()


async def get(host: str, port: int, key: str) -> str:
    return await request(host, port, f"GET {key}")


async def put(host: str, port: int, key: str, value: str) -> str:
    return await request(host, port, f"SET {key} {value}")
