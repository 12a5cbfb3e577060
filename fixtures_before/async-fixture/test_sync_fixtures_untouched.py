import asyncio
from collections.abc import Awaitable, Callable

import pytest


class User:
    def __init__(self, name: str, admin: bool = False) -> None:
        self.name = name
        self.admin = admin


@pytest.fixture
def user_names() -> list[str]:
    return ["ada", "grace"]


@pytest.fixture
def make_user() -> Callable[..., Awaitable[User]]:
    created: list[User] = []

    async def factory(name: str, admin: bool = False) -> User:
        await asyncio.sleep(0)
        user = User(name, admin)
        created.append(user)
        return user

    return factory


@pytest.fixture(scope="module")
def audit_log():
    entries: list[str] = []
    yield entries
    entries.clear()


async def helper_not_a_fixture(make_user):
    return await make_user("root", admin=True)


@pytest.mark.asyncio
async def test_factory_builds_users(make_user, user_names):
    users = [await make_user(name) for name in user_names]
    assert [u.name for u in users] == user_names
    assert not any(u.admin for u in users)


@pytest.mark.asyncio
async def test_helper_creates_an_admin(make_user, audit_log):
    admin = await helper_not_a_fixture(make_user)
    audit_log.append(admin.name)
    assert admin.admin
    assert audit_log == ["root"]
