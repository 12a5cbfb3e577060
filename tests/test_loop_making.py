"""A sync fixture that keeps what making an event loop needs patched (``socket.socket``)
through an asyncio test becomes an async fixture, or is named where it cannot
(pytest_model/loop_making.py, transforms/async_fixture.py)."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from migrate_async import migrate_source
from migrate_async.imports.resolve import ImportMap
from migrate_async.pytest_model.loop_making import coroutine_ready, lasting_loop_maker_patch, patched_loop_maker

HEAD = "import asyncio\nimport socket\nfrom unittest.mock import patch\n\nimport pytest\n\n\n"
TEST = "\n\n@pytest.mark.asyncio\nasync def test_it(sock):\n    await asyncio.sleep(0)\n"


def _function(code: str) -> tuple[cst.FunctionDef, ImportMap]:
    module = cst.parse_module(HEAD + textwrap.dedent(code))
    func = next(s for s in module.body if isinstance(s, cst.FunctionDef))
    return func, ImportMap.collect(module)


@pytest.mark.parametrize(
    "call, patched",
    [
        ('patch("socket.socket")', "socket.socket"),
        ('patch("socket.socket", side_effect=OSError)', "socket.socket"),
        ('patch("socket.socketpair")', "socket.socketpair"),
        ('patch("selectors.DefaultSelector")', "selectors.DefaultSelector"),
        ('patch.object(socket, "socket")', "socket.socket"),
        ('patch("socket.socket", wraps=socket.socket)', None),
        ('patch("socket.socket", new=object)', None),
        ('patch("socket.create_connection")', None),
        ('patch("mymodule.socket.socket")', None),
        ("patch(*targets)", None),
    ],
)
def test_what_a_patch_takes_from_loop_making(call: str, patched: str | None) -> None:
    module = cst.parse_module(HEAD + f"x = {call}\n")
    assign = module.body[-1].body[0]
    assert patched_loop_maker(assign.value, ImportMap.collect(module)) == patched


@pytest.mark.parametrize(
    "body, lasting",
    [
        ('    with patch("socket.socket") as f:\n        yield f\n', True),
        ('    p = patch("socket.socket")\n    p.start()\n    yield\n    p.stop()\n', True),
        ('    patch("socket.socket").start()\n    return 1\n', True),
        ('    with patch("socket.socket"):\n        made = socket.socket()\n    return made\n', False),
        ('    def inner():\n        with patch("socket.socket"):\n            yield\n    return inner\n', False),
    ],
)
def test_a_patch_lasts_past_setup(body: str, lasting: bool) -> None:
    func, imports = _function("@pytest.fixture\ndef sock():\n" + body)
    assert (lasting_loop_maker_patch(func, imports) is not None) == lasting


@pytest.mark.parametrize(
    "code, ready",
    [
        ("def f():\n    with patch('socket.socket') as s:\n        yield s\n", True),
        ("def f(event_loop):\n    yield 1\n", False),
        ("def f():\n    yield from g()\n", False),
        ("def f():\n    yield 1\n    return 2\n", False),
        ("def f():\n    asyncio.get_event_loop().run_until_complete(g())\n    yield\n", False),
        ("def f():\n    loop = asyncio.new_event_loop()\n    return loop\n", False),
        ("def f():\n    return 2\n", True),
    ],
)
def test_a_body_ready_to_be_a_coroutine(code: str, ready: bool) -> None:
    func, imports = _function(code)
    assert coroutine_ready(func, imports) is ready


FIXTURE = '@pytest.fixture\ndef sock():\n    with patch("socket.socket") as func:\n        yield func\n'


def test_becomes_async_in_auto_mode_keeping_its_decorator() -> None:
    result = migrate_source(HEAD + FIXTURE + TEST, select=["async-fixture"], mode="auto")
    assert "@pytest.fixture\nasync def sock():\n" in result.code
    assert "pytest_asyncio" not in result.code
    assert not result.notes


def test_left_and_named_where_its_body_cannot_run_on_the_loop() -> None:
    fixture = (
        '@pytest.fixture\ndef sock():\n    with patch("socket.socket") as func:\n'
        "        asyncio.get_event_loop()\n        yield func\n"
    )
    result = migrate_source(HEAD + fixture + TEST, select=["async-fixture"])
    assert "def sock():" in result.code and "async def sock" not in result.code
    [note] = result.notes
    assert note.kind == "fixture-patches-loop-making" and note.left
    assert note.line == HEAD.count("\n") + 3
    assert "once its body can run on the loop" in note.message


def test_named_but_not_left_where_the_tests_share_a_wider_loop() -> None:
    test = '\n\n@pytest.mark.asyncio(loop_scope="module")\nasync def test_it(sock):\n    await asyncio.sleep(0)\n'
    result = migrate_source(HEAD + FIXTURE + test, select=["async-fixture"])
    assert "async def sock" not in result.code
    [note] = result.notes
    assert not note.left


@pytest.mark.parametrize(
    "test",
    [
        "\n\ndef test_it(sock):\n    assert sock\n",  # a sync test
        "\n\n@pytest.mark.anyio\nasync def test_it(sock):\n    pass\n",  # anyio's
        "\n\nasync def helper(sock):\n    pass\n",  # not a test
    ],
)
def test_untouched_without_an_asyncio_test_asking(test: str) -> None:
    code = HEAD + FIXTURE + test
    if "anyio" in test:
        code = code.replace("import pytest\n", "import anyio\nimport pytest\n", 1)
    result = migrate_source(code, select=["async-fixture"])
    assert result.code == code
    assert not result.notes


OWN_LOOP = (
    "\n\n@pytest.fixture\ndef own_loop():\n    loop = asyncio.new_event_loop()\n"
    "    asyncio.set_event_loop(loop)\n    yield loop\n    loop.close()\n"
)


@pytest.mark.parametrize(
    "sync_test",
    [
        # its own loop is current no more once the async fixture made pytest-asyncio's
        "\n\ndef test_sync(own_loop, sock):\n    fut = asyncio.Future()\n    own_loop.run_until_complete(fut)\n",
        # it takes a loop itself
        "\n\ndef test_sync(sock):\n    asyncio.get_event_loop().run_until_complete(g())\n",
        # through a sync fixture of the module, or usefixtures: who else it requests is not read
        "\n\n@pytest.fixture\ndef client(sock):\n    return sock\n\n\ndef test_sync(own_loop, client):\n    pass\n",
        '\n\n@pytest.mark.usefixtures("sock")\ndef test_sync(own_loop):\n    pass\n',
    ],
)
def test_left_and_named_where_a_sync_test_also_gets_it(sync_test: str) -> None:
    """A sync test that requests the fixture passes under 1.x as it is (the patch breaks
    only the asyncio test's loop); as an async fixture it would make pytest-asyncio's loop
    and set it current before that test runs [EXP: pytest-asyncio 1.5: "The future belongs
    to a different loop"]."""
    code = HEAD + FIXTURE + TEST + OWN_LOOP + sync_test
    result = migrate_source(code, select=["async-fixture"])
    assert "async def sock" not in result.code
    [note] = result.notes
    assert note.kind == "fixture-patches-loop-making" and note.left
    assert "sync test" in note.message


@pytest.mark.parametrize(
    "sync_test",
    [
        "\n\ndef test_sync(sock):\n    assert socket.socket is sock\n",
        "\n\nclass TestSync:\n    def test_sync(self, sock, request):\n        assert sock\n",
    ],
)
def test_becomes_async_where_its_sync_tests_request_only_it(sync_test: str) -> None:
    result = migrate_source(HEAD + FIXTURE + TEST + sync_test, select=["async-fixture"])
    assert "async def sock" in result.code
    assert not result.notes


def test_autouse_with_sync_tests_that_request_more() -> None:
    fixture = FIXTURE.replace("@pytest.fixture\n", "@pytest.fixture(autouse=True)\n")
    result = migrate_source(HEAD + fixture + TEST + OWN_LOOP + "\n\ndef test_sync(own_loop):\n    pass\n", select=["async-fixture"])
    assert "async def sock" not in result.code
    [note] = result.notes
    assert note.left
