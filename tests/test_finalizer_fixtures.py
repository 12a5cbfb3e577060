"""sync-to-async on a fixture that registers its teardown with request.addfinalizer: it
becomes a yield fixture only where moving the teardown after the yield keeps when it runs."""

from __future__ import annotations

import pytest

from migrate_async.engine import migrate_source

FIXTURE = """\
import asyncio
{imports}
import pytest
{bind}

@pytest.fixture
def server(request, event_loop) -> Server:
    srv = event_loop.run_until_complete(start())

    def close():
        \"\"\"Stop it on the loop that made it.\"\"\"
        srv.close()
        event_loop.run_until_complete(srv.wait_closed())

    request.addfinalizer(close)
    return {value}


@pytest.mark.asyncio
async def test_served(server):
    assert server
"""


def _run(value: str = "srv", imports: str = "", bind: str = "") -> tuple[str, list[str]]:
    result = migrate_source(FIXTURE.format(value=value, imports=imports, bind=bind), select=["sync-to-async"])
    return result.code, [n.message for n in result.notes]


def test_the_teardown_goes_after_the_yield() -> None:
    code, notes = _run()
    assert "async def server() -> AsyncIterator[Server]:" in code
    assert "    yield srv\n    srv.close()\n    await srv.wait_closed()\n" in code  # its docstring goes
    assert "from collections.abc import AsyncIterator\n" in code
    assert "addfinalizer" not in code and notes == []


@pytest.mark.parametrize("value", ["event_loop.run_until_complete(connect(srv))", "make(srv)"])
def test_a_value_that_may_raise_keeps_the_finalizer(value: str) -> None:
    # a failing return would skip a teardown after the yield; the finalizer ran anyway
    code, notes = _run(value=value)
    assert "request.addfinalizer(close)" in code
    assert any("a finalizer cannot be a coroutine" in n for n in notes)


@pytest.mark.parametrize(
    ("imports", "bind", "spelled"),
    [
        ("import collections.abc\n", "\nAsyncIterator = object\n", "collections.abc.AsyncIterator[Server]"),
        ("", "\nAsyncIterator = object\n", None),  # nothing spells it: a note
        ("from typing import AsyncIterator\n", "", "AsyncIterator[Server]"),  # typing's, reused
    ],
)
def test_the_annotation_names_the_async_iterator_the_module_can_spell(imports: str, bind: str, spelled) -> None:
    code, notes = _run(imports=imports, bind=bind)
    assert "async def server(" in code
    if spelled is None:
        assert "-> Server:" in code and any("write its return annotation" in n for n in notes)
    else:
        assert f"-> {spelled}:" in code and "from collections.abc import AsyncIterator" not in code
