"""Shared fixtures of beacon's suite."""

import logging
from types import SimpleNamespace
import typing
from unittest.mock import Mock, patch

from packaging.version import Version
import pytest

from beacon import Announcer

_LOGGER = logging.getLogger(__name__)


@pytest.fixture
def addresses() -> typing.Dict[str, str]:
    return {"kitchen": "10.0.0.7", "hall": "10.0.0.9"}


@pytest.fixture
def protocol_version() -> Version:
    return Version("2.1")


@pytest.fixture
def settings(protocol_version: Version) -> SimpleNamespace:
    return SimpleNamespace(version=protocol_version, notify=Mock())


@pytest.fixture
async def announcer(
    addresses: typing.Dict[str, str],
) -> typing.AsyncIterator[SimpleNamespace]:
    server = Announcer(addresses)
    with patch.object(_LOGGER, "debug") as debug:
        port = await server.start()
        yield SimpleNamespace(server=server, port=port, debug=debug)
    await server.stop()
