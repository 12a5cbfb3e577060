"""sync-to-async removes a loop line (``loop = asyncio.get_event_loop()``): the comments above
it go on above the next statement, with the blank lines above them
(transforms/sync_to_async/nodes.py, keep_comments_of_removed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate_async.engine import RunOptions, run
from migrate_async.transforms import BY_NAME

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
        "    # the loop the fixture drives\n\n"
        "    # Prepare the images every test reads.\n"
        "    loop = asyncio.get_event_loop()\n"
        "    return loop.run_until_complete(asyncio.sleep(0, result=1))\n"
    )
    assert _migrated(tmp_path, monkeypatch, body).endswith(
        "async def images():\n"
        "    # Prepare the images every test reads.\n"
        "    return await asyncio.sleep(0, result=1)\n"
    )
