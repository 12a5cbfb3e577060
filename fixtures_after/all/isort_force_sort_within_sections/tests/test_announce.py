"""Each name is answered with its address, on the loop the test runs on."""

from abc import ABC, abstractmethod
import asyncio
import logging
from types import SimpleNamespace

import pytest

from beacon import query

_LOGGER = logging.getLogger(__name__)


class Lookup(ABC):
    @abstractmethod
    async def address_of(self, name: str) -> str: ...


class TcpLookup(Lookup):
    def __init__(self, port: int) -> None:
        self.port = port

    async def address_of(self, name: str) -> str:
        _LOGGER.debug("asking for %s", name)
        return await query(self.port, name, timeout=2)


@pytest.mark.asyncio
async def test_a_known_name_is_answered(
    announcer: SimpleNamespace, settings: SimpleNamespace
) -> None:
    event_loop = asyncio.get_running_loop()
    assert announcer.server.loop is event_loop
    address = await TcpLookup(announcer.port).address_of("kitchen")
    assert address == "10.0.0.7"
    assert str(settings.version) == "2.1"


@pytest.mark.asyncio
async def test_an_unknown_name_is_answered_with_a_question_mark(
    announcer: SimpleNamespace,
) -> None:
    assert await TcpLookup(announcer.port).address_of("attic") == "?"
