"""A small shop client, written for one event loop as older asyncio code was."""
