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


@pytest.mark.asyncio(loop_scope="function")
class TestThrottle:
    @pytest_asyncio.fixture(loop_scope="function")
    async def window(self):
        return asyncio.get_running_loop()

    async def test_window_starts_fresh(self, window):
        assert window is asyncio.get_running_loop()
        assert session_loops and window not in session_loops
