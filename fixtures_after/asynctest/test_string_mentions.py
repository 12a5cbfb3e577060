"""Dependency policy checks: asynctest must not come back into the requirements."""

import pytest

BANNED = {"asynctest": "use unittest.mock.AsyncMock", "nose": "use pytest"}


def parse_requirements(text):
    return [line.split("==")[0].strip() for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("package", ["asynctest", "nose"])
def test_banned_packages_are_reported(package):
    requirements = parse_requirements(f"pytest==9.0\n{package}==1.0\n")
    assert [name for name in requirements if name in BANNED] == [package]


@pytest.mark.asyncio
async def test_message_names_the_replacement():
    message = f"asynctest is banned: {BANNED['asynctest']}"
    assert message.endswith("AsyncMock")
