"""The runnable examples of event-loop-argument."""

from __future__ import annotations

from ..examples import Example

#: What ``migrate-async explain event-loop-argument`` shows, run by tests/test_examples.py.
EXAMPLES = (
    Example(
        title="the parameter goes; the name is bound to the running loop; ``loop=`` is dropped",
        before="""
            import asyncio

            import pytest

            @pytest.mark.asyncio
            async def test_lookup_runs_in_executor(event_loop, resolver):
                answer = await event_loop.run_in_executor(None, resolver.lookup, "db.internal")
                await asyncio.wait_for(resolver.flush(), 1, loop=event_loop)
                assert answer == "10.0.0.7"
            """,
        after="""
            import asyncio

            import pytest

            @pytest.mark.asyncio
            async def test_lookup_runs_in_executor(resolver):
                event_loop = asyncio.get_running_loop()
                answer = await event_loop.run_in_executor(None, resolver.lookup, "db.internal")
                await asyncio.wait_for(resolver.flush(), 1)
                assert answer == "10.0.0.7"
            """,
    ),
    Example(
        title="an async fixture that only requested the loop, and ``usefixtures``",
        before="""
            import pytest
            import pytest_asyncio

            @pytest_asyncio.fixture
            async def server(event_loop):
                return await start_server()

            @pytest.mark.asyncio
            @pytest.mark.usefixtures("event_loop")
            async def test_ping(server):
                assert await server.ping()
            """,
        after="""
            import pytest
            import pytest_asyncio

            @pytest_asyncio.fixture
            async def server():
                return await start_server()

            @pytest.mark.asyncio
            async def test_ping(server):
                assert await server.ping()
            """,
    ),
    Example(
        title="sync tests and helpers that are handed a loop",
        before="""
            def run(event_loop, coro):
                return event_loop.run_until_complete(coro)

            def test_ping(event_loop, server):
                assert run(event_loop, server.ping())
            """,
    ),
)
