import asyncio

import pytest


class Session:
    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.requests = 0

    async def get(self, path: str) -> str:
        self.requests += 1
        await asyncio.sleep(0)
        return f"200 {path}"


@pytest.mark.asyncio(loop_scope="class")
class TestSharedSession:
    loop: asyncio.AbstractEventLoop | None = None

    async def test_first_request_opens_the_loop(self):
        TestSharedSession.loop = asyncio.get_running_loop()
        assert await Session().get("/health") == "200 /health"

    async def test_second_request_reuses_it(self):
        assert asyncio.get_running_loop() is TestSharedSession.loop

    @pytest.mark.asyncio
    async def test_isolated_request_has_its_own_loop(self):
        assert asyncio.get_running_loop() is not TestSharedSession.loop


class TestRetries:
    pytestmark = [pytest.mark.asyncio(loop_scope="class"), pytest.mark.filterwarnings("error")]

    async def test_retry_counter_starts_at_zero(self):
        session = Session()
        assert session.requests == 0

    @pytest.mark.asyncio
    async def test_retry_in_a_function_loop(self):
        session = Session()
        await session.get("/retry")
        assert session.requests == 1
