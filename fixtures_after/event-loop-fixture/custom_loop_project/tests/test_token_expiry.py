import asyncio

import pytest


class Token:
    def __init__(self, ttl):
        self.expires_at = asyncio.get_running_loop().time() + ttl

    def expired(self):
        return asyncio.get_running_loop().time() >= self.expires_at


@pytest.mark.asyncio
async def test_token_expires_after_ttl():
    loop = asyncio.get_running_loop()
    token = Token(ttl=3600)
    assert not token.expired()
    loop.advance(3600)
    assert token.expired()


@pytest.mark.asyncio
async def test_runs_in_debug_mode():
    assert asyncio.get_running_loop().get_debug()
