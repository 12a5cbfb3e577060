import asyncio

import pytest
import pytest_asyncio

session_loops = []


@pytest_asyncio.fixture
async def alert_loop():
    return asyncio.get_running_loop()


@pytest.mark.asyncio
async def test_alerts_run_on_the_session_loop(feed, alert_loop):
    assert alert_loop is feed.loop is asyncio.get_running_loop()
    session_loops.append(alert_loop)


class TestThrottle:
    @pytest.fixture
    def event_loop(self):
        """A loop per test: a throttle window must not carry over."""
        loop = asyncio.new_event_loop()
        yield loop
        loop.close()

    @pytest_asyncio.fixture
    async def window(self):
        return asyncio.get_running_loop()

    @pytest.mark.asyncio
    async def test_window_starts_fresh(self, window):
        assert window is asyncio.get_running_loop()
        assert session_loops and window not in session_loops
