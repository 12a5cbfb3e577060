"""The examples of sync-to-async (see transforms/examples.py), run by tests/test_examples.py."""

from __future__ import annotations

from ..examples import Example

#: What ``migrate-async explain sync-to-async`` shows, run by tests/test_examples.py.
EXAMPLES = (
    Example(
        title="a fixture and a test that drove coroutines on the ``event_loop`` fixture",
        before="""
            import pytest

            @pytest.fixture
            def account(event_loop):
                account = event_loop.run_until_complete(Bank.open_account("alice"))
                yield account
                event_loop.run_until_complete(account.close())

            def test_deposit(account, event_loop):
                balance = event_loop.run_until_complete(account.deposit(30))
                assert balance == 130
            """,
        after="""
            import pytest
            import pytest_asyncio

            @pytest_asyncio.fixture
            async def account():
                account = await Bank.open_account("alice")
                yield account
                await account.close()

            @pytest.mark.asyncio
            async def test_deposit(account):
                balance = await account.deposit(30)
                assert balance == 130
            """,
    ),
    Example(
        title="in auto mode the decorators stay as they are; a loop looked up only to run coroutines goes",
        mode="auto",
        before="""
            import asyncio

            import pytest

            @pytest.fixture
            def account():
                loop = asyncio.get_event_loop()
                return loop.run_until_complete(Bank.open_account("alice"))

            def test_deposit(account, event_loop):
                assert event_loop.run_until_complete(account.deposit(30)) == 130
            """,
        after="""
            import pytest

            @pytest.fixture
            async def account():
                return await Bank.open_account("alice")

            async def test_deposit(account):
                assert await account.deposit(30) == 130
            """,
    ),
    Example(
        title="a test that requests the loop but drives none of it stays sync; ``asyncio.run`` is left alone",
        before="""
            import asyncio

            def test_handler_runs_its_own_loop(app, event_loop):
                assert app.handle("ada") == "hello ada"

            def test_report_then_cli(capsys):
                asyncio.run(build_report("2024-05"))
                assert main(["2024-05"]) == 0
            """,
        after="""
            import asyncio

            def test_handler_runs_its_own_loop(app):
                assert app.handle("ada") == "hello ada"

            def test_report_then_cli(capsys):
                asyncio.run(build_report("2024-05"))
                assert main(["2024-05"]) == 0
            """,
    ),
    Example(
        title="a loop the test makes itself, and ``run_until_complete`` passed as a value",
        before="""
            import asyncio

            def test_worker_thread_has_its_own_loop():
                loop = asyncio.new_event_loop()
                try:
                    assert loop.run_until_complete(work()) == 42
                finally:
                    loop.close()

            def test_benchmark(benchmark, event_loop):
                benchmark(event_loop.run_until_complete, work())
            """,
    ),
)
