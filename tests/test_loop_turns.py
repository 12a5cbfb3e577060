"""sync-to-async gives the loop one turn after a driver whose coroutine, one of the module's
own that never suspends, leaves callbacks the code after it may read: run_until_complete ran
them before it returned, ``await`` does not (transforms/sync_to_async/callbacks.py)."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from migrate_async.engine import RunOptions, run
from migrate_async.transforms import BY_NAME
from migrate_async.transforms.sync_to_async.callbacks import TURN_COMMENT, followed_lines, never_suspends

TURN = f"await asyncio.sleep(0)  {TURN_COMMENT}"

QUIET = "async def post(items, x):\n    asyncio.get_running_loop().call_soon(items.append, x)\n"
WAITS = "async def post(items, x):\n    asyncio.get_running_loop().call_soon(items.append, x)\n    await asyncio.sleep(0)\n"


def _migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, helpers: str = QUIET) -> str:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    module = tmp_path / "test_posts.py"
    module.write_text(f"import asyncio\n\n\n{helpers}\n\n{body}")
    run([Path(".")], RunOptions(transforms=[BY_NAME["sync-to-async"]], target=None, write=True))
    return module.read_text()


@pytest.mark.parametrize(("source", "expected"), [
    ("async def f():\n    g()\n", True),
    ("async def f():\n    async def inner():\n        await g()\n    h(inner)\n", True),
    ("async def f():\n    await g()\n", False),
    ("async def f():\n    async with g():\n        pass\n", False),
    ("async def f():\n    async for x in g():\n        pass\n", False),
    ("async def f():\n    return [x async for x in g()]\n", False),
    ("async def f():\n    yield 1\n", False),
    ("def f():\n    g()\n", False),
])
def test_never_suspends(source: str, expected: bool) -> None:
    func = cst.parse_module(source).body[0]
    assert isinstance(func, cst.FunctionDef)
    assert never_suspends(func) is expected


def _followed(source: str) -> list[str]:
    func = cst.parse_module(source).body[0]
    assert isinstance(func, cst.FunctionDef)
    ids = followed_lines(func.body)
    found: list[str] = []

    class _Lines(cst.CSTVisitor):
        def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
            if id(node) in ids:
                found.append(cst.Module([]).code_for_node(node.body[0]))

    func.visit(_Lines())
    return found


def test_followed_lines() -> None:
    assert _followed("def f():\n    a()\n    b()\n") == ["a()"]
    assert _followed("def f():\n    a()\n    return b\n") == []
    assert _followed("def f():\n    a()\n    yield b\n    c()\n") == ["yield b"]
    assert _followed("def f():\n    with x:\n        a()\n    b()\n") == ["a()"]
    assert _followed("def f():\n    with x:\n        a()\n") == []
    assert _followed("def f():\n    for x in y:\n        a()\n") == ["a()"]
    assert _followed("def f():\n    if x:\n        a()\n    else:\n        b()\n    c()\n") == ["a()", "b()"]
    assert _followed("def f():\n    def g():\n        a()\n        b()\n    g()\n") == []


def test_a_quiet_coroutine_read_after_gets_a_turn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = "def test_post(event_loop):\n    items = []\n    event_loop.run_until_complete(post(items, 1))\n    assert items == [1]\n"
    after = _migrated(tmp_path, monkeypatch, body)
    assert f"    await post(items, 1)\n    {TURN}\n    assert items == [1]\n" in after


def test_the_turn_follows_a_block_that_code_comes_after(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = ("def test_post(event_loop):\n    items = []\n    if items is not None:\n"
            "        event_loop.run_until_complete(post(items, 1))\n    assert items == [1]\n")
    after = _migrated(tmp_path, monkeypatch, body)
    assert f"        await post(items, 1)\n        {TURN}\n    assert items == [1]\n" in after


@pytest.mark.parametrize(("body", "helpers"), [
    # the coroutine suspends: its callbacks ran before its own end
    ("def test_post(event_loop):\n    items = []\n    event_loop.run_until_complete(post(items, 1))\n    assert items == [1]\n", WAITS),
    # nothing of the function runs after it
    ("def test_post(event_loop):\n    event_loop.run_until_complete(post([], 1))\n", QUIET),
    ("import pytest\n\n\n@pytest.fixture\ndef items(event_loop):\n    found = []\n"
     "    event_loop.run_until_complete(post(found, 1))\n    yield found\n", QUIET),
    # a coroutine not of the module: not known to be quiet
    ("from asyncio import sleep\n\n\ndef test_post(event_loop):\n    event_loop.run_until_complete(sleep(0))\n    assert True\n", QUIET),
    # a local coroutine function of that name that suspends shadows the module's
    ("def test_post(event_loop):\n    items = []\n\n    async def post(items, x):\n        await asyncio.sleep(0)\n"
     "        items.append(x)\n\n    event_loop.run_until_complete(post(items, 1))\n    assert items == [1]\n", QUIET),
])
def test_no_turn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, helpers: str) -> None:
    after = _migrated(tmp_path, monkeypatch, body, helpers)
    assert "await post(" in after or "await sleep(0)" in after  # converted
    assert TURN_COMMENT not in after


def test_the_turn_comment_goes_where_the_line_length_allows() -> None:
    """After the code where the line fits the project's line length (black's 88 at a method's
    indent), on a line of its own above where only that fits (flake8's 79), else left out."""
    import libcst as cst

    from migrate_async.transforms.sync_to_async.callbacks import TURN_COMMENT, turn_line

    def code(indent: int, length: int) -> str:
        line = turn_line(cst.parse_expression("asyncio.sleep"), indent, length)
        return cst.Module(body=[line]).code

    assert code(8, 88) == f"await asyncio.sleep(0)  {TURN_COMMENT}\n"
    assert code(8, 79) == f"{TURN_COMMENT}\nawait asyncio.sleep(0)\n"
    assert code(40, 79) == "await asyncio.sleep(0)\n"
