"""sync-to-async removes a loop line (``loop = asyncio.get_event_loop()``): the comments above
it go on above the next statement, with the blank lines above them, or below the last one when
it closed its block; only the paragraph directly above it that speaks of the loop goes with it
(transforms/sync_to_async/nodes.py, keep_comments_of_removed)."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from migrate_async.engine import RunOptions, run
from migrate_async.transforms import BY_NAME
from migrate_async.transforms.sync_to_async.nodes import keep_comments_of_removed, speaks_of_the_loop

HEAD = "import asyncio\n\nimport pytest\n\n\n@pytest.fixture\ndef images():\n"


def _migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> str:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    module = tmp_path / "test_images.py"
    module.write_text(HEAD + body)
    run([Path(".")], RunOptions(transforms=[BY_NAME["sync-to-async"]], target=None, write=True))
    return module.read_text()


def test_a_carried_comment_keeps_its_paragraph_break(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = (
        "    a = 1\n\n"
        "    # Prepare the images every test reads.\n"
        "    loop = asyncio.get_event_loop()\n"
        "    return loop.run_until_complete(asyncio.sleep(0, result=a))\n"
    )
    assert _migrated(tmp_path, monkeypatch, body).endswith(
        "    a = 1\n\n"
        "    # Prepare the images every test reads.\n"
        "    return await asyncio.sleep(0, result=a)\n"
    )


def test_a_carried_comment_opening_the_body_has_no_blank_above(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = (
        "    # the event loop the fixture drives\n"
        "    loop = asyncio.get_event_loop()\n\n"
        "    # Prepare the images every test reads.\n"
        "    return loop.run_until_complete(asyncio.sleep(0, result=1))\n"
    )
    assert _migrated(tmp_path, monkeypatch, body).endswith(
        "async def images():\n"
        "    # Prepare the images every test reads.\n"
        "    return await asyncio.sleep(0, result=1)\n"
    )


def test_a_comment_that_says_loop_as_a_verb_stays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = (
        "    # loop over the images every test reads\n"
        "    loop = asyncio.get_event_loop()\n"
        "    return [loop.run_until_complete(asyncio.sleep(0, result=i)) for i in range(2)]\n"
    )
    assert _migrated(tmp_path, monkeypatch, body).endswith(
        "async def images():\n"
        "    # loop over the images every test reads\n"
        "    return [await asyncio.sleep(0, result=i) for i in range(2)]\n"
    )


def test_a_loop_comment_a_blank_line_above_stays(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # not directly above the loop line: it may be about the whole fixture
    body = (
        "    # the loop the fixture drives\n\n"
        "    # Prepare the images every test reads.\n"
        "    loop = asyncio.get_event_loop()\n"
        "    return loop.run_until_complete(asyncio.sleep(0, result=1))\n"
    )
    assert _migrated(tmp_path, monkeypatch, body).endswith(
        "async def images():\n"
        "    # the loop the fixture drives\n\n"
        "    # Prepare the images every test reads.\n"
        "    return await asyncio.sleep(0, result=1)\n"
    )


def test_the_comment_on_the_loop_line_goes_with_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = (
        "    loop = asyncio.get_event_loop()  # images\n"
        "    return loop.run_until_complete(asyncio.sleep(0, result=1))\n"
    )
    assert _migrated(tmp_path, monkeypatch, body).endswith(
        "async def images():\n"
        "    return await asyncio.sleep(0, result=1)\n"
    )


@pytest.mark.parametrize(
    ("comment", "about"),
    [
        ("# the loop the fixture drives", True),
        ("# get_event_loop() is deprecated", True),
        ("# An event-loop for the images", True),
        ("# reuse the test's loop", True),
        ("# loop over the images", False),
        ("# Prepare the images every test reads.", False),
        ("# for each layer: loop until it is pulled", False),
    ],
)
def test_which_comments_speak_of_the_loop(comment: str, about: bool) -> None:
    assert speaks_of_the_loop(comment) is about


def test_comments_above_a_removed_last_statement_close_the_block() -> None:
    source = (
        "def images():\n"
        "    a = 1\n"
        "    # Prepare the images every test reads.\n"
        "    loop = asyncio.get_event_loop()\n"
        "    # end of the images\n"
        "x = 1\n"
    )
    module = cst.parse_module(source)
    func = module.body[0]
    assert isinstance(func, cst.FunctionDef) and isinstance(func.body, cst.IndentedBlock)
    block = func.body
    last = block.body[-1]
    updated = block.with_changes(body=block.body[:-1])
    kept = keep_comments_of_removed(block, updated, {last}, set())
    assert module.code_for_node(func.with_changes(body=kept)) == (
        "def images():\n"
        "    a = 1\n"
        "    # Prepare the images every test reads.\n"
        "    # end of the images\n"
    )
