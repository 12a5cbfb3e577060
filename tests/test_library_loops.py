"""The project's own sync functions and methods that run an event loop or take the current
one, by name (pytest_model/library_loops.py)."""

from __future__ import annotations

from pathlib import Path

from migrate_async.pytest_model.library_loops import LibraryLoops, library_loops

SYNC = '''
import asyncio


def async_to_sync(coro, loop=None):
    loop = loop or asyncio.get_event_loop()
    return loop.run_until_complete(coro)


def make_loop():
    return asyncio.new_event_loop()


def run_main(coro):
    return asyncio.run(coro)
'''
CLIENT = '''
from .sync import async_to_sync


class Client:
    def __init__(self):
        self.sent = []

    async def send(self, message):
        return message

    def send_sync(self, message):
        return async_to_sync(self.send(message))

    def later(self):
        def inner():
            return async_to_sync(self.send("x"))
        return inner


class Owner:
    def __init__(self):
        import asyncio
        self.loop = asyncio.get_event_loop()
'''


def _project(tmp_path: Path) -> Path:
    package = tmp_path / "src" / "mailer"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sync.py").write_text(SYNC)
    (package / "client.py").write_text(CLIENT)
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "__init__.py").write_text("")
    (tests / "helpers.py").write_text("def drive(loop):\n    loop.run_until_complete(None)\n")
    return tmp_path


def test_names_that_run_or_take_a_loop_through_one_another(tmp_path: Path) -> None:
    found = library_loops(_project(tmp_path))
    names = ("async_to_sync", "make_loop", "run_main", "send", "send_sync", "later", "inner", "Client", "Owner", "drive")
    assert {n for n in names if n in found.runs} == {"async_to_sync", "send_sync", "run_main"}
    assert {n for n in names if n in found.takes} == {"async_to_sync", "send_sync", "Owner"}  # Owner(): its __init__
    assert found.packages == {"mailer"}
    # a nested function may run later, on a loop: not its owner's doing; test code is not read
    assert "later" not in found.runs and "drive" not in found.runs


def test_a_name_is_followed_through_modules_that_spell_no_loop_name(tmp_path: Path, monkeypatch) -> None:
    """Only what is asked is worked out, from the name asked along the names its
    definitions call: a method two modules away from the loop is found, and a module that
    spells none of the names followed is never parsed."""
    import ast

    from migrate_async.pytest_model import library_loops as module

    package = tmp_path / "relay"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "core.py").write_text("import asyncio\n\n\ndef pump(coro):\n    return asyncio.run(coro)\n")
    (package / "middle.py").write_text("from .core import pump\n\n\ndef relay(c):\n    return pump(c)\n")
    (package / "top.py").write_text("from .middle import relay\n\n\nclass Front:\n    def go(self):\n        return relay(None)\n")
    (package / "other.py").write_text("def unrelated():\n    return 1\n")
    parsed: list[bytes] = []
    real_parse = ast.parse
    monkeypatch.setattr(module.ast, "parse", lambda data, *a, **k: parsed.append(data) or real_parse(data, *a, **k))
    module._read.cache_clear()
    try:
        found = library_loops(tmp_path)
        assert not parsed  # (nothing asked yet)
        assert "go" in found.runs and "relay" in found.runs and "pump" in found.runs
        assert "Front" not in found.runs and "go" not in found.takes
    finally:
        module._read.cache_clear()
    assert found.packages == {"relay"}
    assert len(parsed) == 3 and not any(b"unrelated" in data for data in parsed)


def test_init_is_looked_up_only_where_a_module_defines_one_at_top_level(tmp_path: Path, monkeypatch) -> None:
    """A method ``__init__`` is read by its class's name: ``super().__init__()`` looks up
    ``__init__`` itself, which only a module-level ``def __init__`` answers; the modules
    whose classes define one are not parsed for it."""
    import ast

    from migrate_async.pytest_model import library_loops as module

    package = tmp_path / "devices"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "base.py").write_text("class Base:\n    def __init__(self):\n        self.x = 1\n")
    for number in range(5):
        (package / f"kind{number}.py").write_text(
            f"class Kind{number}:\n    def __init__(self):\n        self.n = {number}\n"
        )
    (package / "odd.py").write_text("import asyncio\n\n\ndef __init__():\n    return asyncio.run(None)\n")
    (package / "front.py").write_text(
        "from .base import Base\n\n\nclass Front(Base):\n    def __init__(self):\n        super().__init__()\n"
    )
    parsed: list[bytes] = []
    real_parse = ast.parse
    monkeypatch.setattr(module.ast, "parse", lambda data, *a, **k: parsed.append(data) or real_parse(data, *a, **k))
    module._read.cache_clear()
    try:
        found = library_loops(tmp_path)
        assert "Front" in found.runs  # through the module-level __init__ of odd.py (a name is a name)
    finally:
        module._read.cache_clear()
    assert sorted(data.split(b"\n", 1)[0] for data in parsed) == [b"from .base import Base", b"import asyncio"]


def test_a_reader_that_copes_with_no_current_loop_takes_none(tmp_path: Path) -> None:
    """aiosmtpd 1.4.6's ``_get_or_new_eventloop()``: ``asyncio.get_event_loop()`` in a ``try``
    whose handler catches the RuntimeError, a new loop made there: it does not fail where no
    loop is current. A handler of something else does not cope, nor one that raises again."""
    from migrate_async.pytest_model import library_loops as module

    package = tmp_path / "mailsrv"
    package.mkdir()
    (package / "__init__.py").write_text(
        "import asyncio\n\n\n"
        "def get_or_new():\n"
        "    try:\n"
        "        return asyncio.get_event_loop()\n"
        "    except (DeprecationWarning, RuntimeError):\n"
        "        return asyncio.new_event_loop()\n\n\n"
        "def strict():\n"
        "    try:\n"
        "        return asyncio.get_event_loop()\n"
        "    except ValueError:\n"
        "        return None\n\n\n"
        "class SMTP:\n"
        "    def __init__(self):\n"
        "        self.loop = get_or_new()\n\n\n"
        "def reraise():\n"
        "    try:\n"
        "        return asyncio.get_event_loop()\n"
        "    except RuntimeError:\n"
        "        raise\n\n\n"
        "def reraise_other():\n"
        "    try:\n"
        "        return asyncio.get_event_loop()\n"
        "    except RuntimeError as e:\n"
        "        raise ValueError('no loop') from e\n\n\n"
        "def filtered():\n"
        "    try:\n"
        "        return asyncio.get_event_loop()\n"
        "    except RuntimeError as e:\n"
        "        if 'no current event loop' not in str(e):\n"
        "            raise\n"
        "        return asyncio.new_event_loop()\n"
    )
    module._read.cache_clear()
    try:
        found = library_loops(tmp_path)
        assert "get_or_new" not in found.takes and "SMTP" not in found.takes
        assert "strict" in found.takes
        # a handler that raises again passes the failure on: its reader still takes the loop
        assert "reraise" in found.takes and "reraise_other" in found.takes
        assert "filtered" not in found.takes  # (a raise under an if: a filter)
    finally:
        module._read.cache_clear()


def test_what_a_call_may_reach() -> None:
    found = LibraryLoops(runs=frozenset({"send_sync", "get_running_loop"}), packages=frozenset({"mailer"}))
    imported = {"asyncio": "asyncio", "sync": "mailer.sync", "mock": "unittest.mock"}
    assert found.callee("client.send_sync", imported) == "send_sync"
    assert found.callee("sync.send_sync", imported) == "send_sync"
    assert found.callee("asyncio.get_running_loop", imported) is None
    assert found.callee("mock.send_sync", imported) is None


def test_nothing_known_without_a_root_or_past_the_size_bound(tmp_path: Path, monkeypatch) -> None:
    assert library_loops(None) == LibraryLoops()
    from migrate_async.pytest_model import library_loops as module

    monkeypatch.setattr(module, "_MAX_FILES", 1)
    module._read.cache_clear()
    try:
        assert library_loops(_project(tmp_path)) == LibraryLoops()
    finally:
        module._read.cache_clear()


CALLER = '''
import asyncio

from mailer.client import Client
from mailer import sync


def made_here():
    return Client()


def test_calls(event_loop, client, loop, tmp_path):
    srv = event_loop.run_until_complete(asyncio.start_server(None, "127.0.0.1", 0))
    srv.close()
    f = open(tmp_path / "x", "w")
    f.close()
    event_loop.close()
    loop.close()
    mine = Client()
    mine.close()
    yours = made_here()
    yours.close()
    connected = event_loop.run_until_complete(client.connect())
    connected.close()
    items = []
    items.close()
    for each in [Client()]:
        each.close()
    client.close()
    sync.close()
    close()
'''


def test_a_call_reaches_the_project_only_where_its_receiver_may_be_the_projects() -> None:
    """By name alone, every ``x.close()`` would be the project's ``close`` that runs a loop:
    only a receiver that may hold the project's object counts (srv from asyncio.start_server,
    open()'s file, the loop fixtures, a list literal do not)."""
    import ast

    from migrate_async.imports.resolve import ImportMap

    tree = ast.parse(CALLER)
    function = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "test_calls")
    found = LibraryLoops(runs=frozenset({"close"}), packages=frozenset({"mailer"}))
    imported = ImportMap.from_ast(tree).names
    reached = {
        s: found.callee(s, imported, function, tree)
        for s in ("srv.close", "f.close", "event_loop.close", "loop.close", "mine.close", "yours.close",
                  "connected.close", "items.close", "each.close", "client.close", "sync.close", "close")
    }
    assert {s for s, callee in reached.items() if callee} == {
        "mine.close", "yours.close", "connected.close", "each.close", "client.close", "sync.close",
    }
    # without the function, by name (as before)
    assert found.callee("srv.close", imported) == "close"


SERVER_TESTS = '''\
import asyncio

import pytest


async def handle(reader, writer):
    writer.close()


@pytest.fixture
def server(event_loop):
    srv = event_loop.run_until_complete(asyncio.start_server(handle, "127.0.0.1", 0))
    yield srv
    srv.close()
    event_loop.run_until_complete(srv.wait_closed())


@pytest.mark.asyncio
async def test_connects(server):
    port = server.sockets[0].getsockname()[1]
    await asyncio.open_connection("127.0.0.1", port)
'''


def test_a_server_fixture_closing_its_server_still_becomes_async(tmp_path: Path, monkeypatch) -> None:
    """The project's SyncClient.close() runs a loop; the fixture's srv.close() closes what
    asyncio.start_server() made: the fixture becomes async as it did before the project's
    names were read (left sync, its async test would find no event_loop)."""
    from migrate_async.engine import RunOptions, run
    from migrate_async.transforms import BY_NAME

    (tmp_path / "mailer").mkdir()
    (tmp_path / "mailer" / "__init__.py").write_text("")
    (tmp_path / "mailer" / "sync.py").write_text(
        "import asyncio\n\n\nclass SyncClient:\n    def close(self):\n"
        "        asyncio.get_event_loop().run_until_complete(asyncio.sleep(0))\n"
    )
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    (tmp_path / "test_server.py").write_text(SERVER_TESTS)
    monkeypatch.chdir(tmp_path)
    result = run([Path("test_server.py")], RunOptions(transforms=[BY_NAME["sync-to-async"]], target=None))
    (changed,) = [f for f in result.files if f.path == "test_server.py"]
    assert "+async def server():" in changed.diff
    assert not [n for n in changed.notes if n.left]


RUNS = "    import asyncio\n    return asyncio.get_event_loop().run_until_complete(None)\n"
SPELLED = {
    # a comment ending in "class" right before a class: the keyword is not the name
    "base.py": b"import asyncio\n\n\n# the base class\nclass Owner:\n    def __init__(self):\n"
               b"        self.loop = asyncio.get_event_loop()\n",
    "helpers.py": b"# a helper def\ndef helper_sync():\n" + RUNS.encode(),
    "nfkc.py": ("def \ufb01le_sync():\n" + RUNS).encode(),  # Python reads it file_sync
    "latin.py": ("# -*- coding: latin-1 -*-\ndef caf\xe9_sync():\n" + RUNS).encode("latin-1"),
    "middot.py": ("def send\u00b7sync():\n" + RUNS).encode(),  # \w takes no middle dot
    "accent.py": ("def cafe\u0301_run():\n" + RUNS).encode(),  # NFKC: café_run
    "cr.py": ("def \\\rcr_sync():\r" + RUNS.replace("\n", "\r")).encode(),  # old Mac line ends
}


def test_a_definition_is_found_however_its_module_spells_it(tmp_path: Path) -> None:
    """What a module defines is read off its text: each definition Python reads there is
    found by the name Python gives it, the first time it is asked."""
    package = tmp_path / "spelled"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, data in SPELLED.items():
        (package / name).write_bytes(data)
    found = library_loops(tmp_path)
    assert "Owner" in found.takes
    for name in ("helper_sync", "file_sync", "caf\xe9_sync", "send\u00b7sync", "caf\xe9_run", "cr_sync"):
        assert name in found.runs, name


def _counting_definitions(monkeypatch) -> list[str]:
    from migrate_async.pytest_model import library_loops as module

    looked: list[str] = []
    real = module._Index.definitions
    monkeypatch.setattr(module._Index, "definitions", lambda self, name: looked.append(name) or real(self, name))
    return looked


def test_each_name_is_followed_once_whatever_is_asked(tmp_path: Path, monkeypatch) -> None:
    """Names asked one after another that reach the same names follow each of them once:
    every name followed is known after, not only the one asked (none of a chain's 60 names
    reaches a loop; all of another's do)."""
    package = tmp_path / "chains"
    package.mkdir()
    (package / "__init__.py").write_text("")
    quiet = "".join(f"def f{i}():\n    return f{i + 1}()\n\n\n" for i in range(60))
    loud = "".join(f"def g{i}():\n    return g{i + 1}()\n\n\n" for i in range(60))
    (package / "quiet.py").write_text(quiet + "def f60():\n    return 1\n")
    (package / "loud.py").write_text(loud + "def g60():\n" + RUNS)
    looked = _counting_definitions(monkeypatch)
    found = library_loops(tmp_path)
    assert not any(f"f{i}" in found.runs for i in range(61))
    assert len(looked) == 61
    looked.clear()
    assert all(f"g{i}" in found.runs for i in range(61))
    assert len(looked) == 61


def test_the_policy_s_loop_is_the_current_loop_too(tmp_path: Path) -> None:
    """``asyncio.get_event_loop_policy().get_event_loop()`` (however asyncio is imported)
    takes the current loop as ``asyncio.get_event_loop()`` does: a service built in a sync
    fixture fails the same way where pytest-asyncio 1.4 left no loop current."""
    package = tmp_path / "src" / "svc"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "services.py").write_text(
        "import asyncio\nfrom asyncio import get_event_loop_policy as policy\n\n\n"
        "class Service:\n    def __init__(self):\n        self.loop = asyncio.get_event_loop_policy().get_event_loop()\n\n\n"
        "class Worker:\n    def __init__(self):\n        self.loop = policy().get_event_loop()\n\n\n"
        "class Fresh:\n    def __init__(self):\n        self.loop = asyncio.get_event_loop_policy().new_event_loop()\n\n\n"
        "def other_policy(factory):\n    return factory().get_event_loop()\n"
    )
    found = library_loops(tmp_path)
    assert "Service" in found.takes and "Worker" in found.takes
    assert "Fresh" not in found.takes and "other_policy" not in found.takes
