"""The examples of event-loop-fixture (see transforms/examples.py), run by tests/test_examples.py."""

from __future__ import annotations

from ..examples import Example

EXAMPLES = (
    Example(
        title="a session-scoped loop in the root conftest becomes the default loop scope",
        path="conftest.py",
        before="""
            import asyncio

            import pytest


            @pytest.fixture(scope="session")
            def event_loop():
                loop = asyncio.new_event_loop()
                yield loop
                loop.close()


            @pytest.fixture
            def settings():
                return {"dsn": "sqlite://"}
            """,
        after="""
            import pytest


            @pytest.fixture
            def settings():
                return {"dsn": "sqlite://"}
            """,
        config="""
            asyncio_default_fixture_loop_scope = session
            asyncio_default_test_loop_scope = session
            """,
    ),
    Example(
        title="a module-scoped loop in a test module becomes a module mark, and bare marks under it go (the closest mark wins)",
        before="""
            import asyncio

            import pytest

            @pytest.fixture(scope="module")
            def event_loop():
                loop = asyncio.new_event_loop()
                yield loop
                loop.close()

            @pytest.mark.asyncio
            async def test_queue_is_shared(queue):
                assert queue.empty()
            """,
        after="""
            import pytest

            pytestmark = pytest.mark.asyncio(loop_scope="module")

            async def test_queue_is_shared(queue):
                assert queue.empty()
            """,
    ),
    Example(
        title="setup the override also did stays, as an autouse fixture named for what it sets up",
        before="""
            import asyncio

            import pytest

            class TestCache:
                @pytest.fixture
                def event_loop(self):
                    self.client = CacheClient()
                    loop = asyncio.new_event_loop()
                    yield loop
                    loop.close()

                @pytest.mark.asyncio
                async def test_get(self):
                    assert await self.client.get("answer") is None
            """,
        after="""
            import pytest

            class TestCache:
                @pytest.fixture(autouse=True)
                def setup_client(self):
                    self.client = CacheClient()

                @pytest.mark.asyncio
                async def test_get(self):
                    assert await self.client.get("answer") is None
            """,
    ),
    Example(
        title="a module of sync tests, which use the fixture as a plain one",
        before="""
            import asyncio

            import pytest

            @pytest.fixture
            def event_loop():
                loop = asyncio.new_event_loop()
                yield loop
                loop.close()

            def test_runs_a_coroutine(event_loop):
                assert event_loop.run_until_complete(answer()) == 42
            """,
    ),
)
