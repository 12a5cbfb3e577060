import asyncio


class Room:
    def __init__(self) -> None:
        self.members: set[str] = set()
        self.messages: asyncio.Queue[str] = asyncio.Queue()

    async def join(self, user: str) -> None:
        self.members.add(user)
        await self.messages.put(f"{user} joined")


async def test_join_announces_the_user():
    room = Room()
    await room.join("ada")
    assert room.messages.get_nowait() == "ada joined"


async def test_members_are_unique():
    room = Room()
    await room.join("ada")
    await room.join("ada")
    assert room.members == {"ada"}
