import asyncio

import pytest


class Session:
    def __init__(self, user: str) -> None:
        self.user = user
        self.open = True

    async def close(self) -> None:
        await asyncio.sleep(0)
        self.open = False


class TestSessionLifecycle:
    pytestmark = pytest.mark.asyncio(loop_scope="class")

    async def test_close_marks_session_closed(self):
        session = Session("ada")
        await session.close()
        assert not session.open

    async def test_close_is_idempotent(self):
        session = Session("ada")
        await session.close()
        await session.close()
        assert not session.open


@pytest.mark.asyncio
class TestSessionOwner:
    async def test_owner_is_kept(self):
        session = Session("grace")
        await session.close()
        assert session.user == "grace"

    class TestNested:
        async def test_nested_class_inherits_the_mark(self):
            assert Session("linus").open


class TestMarkedBase:
    pytestmark = [pytest.mark.asyncio]


class TestInheritsMark(TestMarkedBase):
    async def test_mark_comes_from_base_class(self):
        session = Session("barbara")
        await session.close()
        assert session.open is False
