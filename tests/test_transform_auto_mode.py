"""auto-mode: what the golden pairs cannot show (refusals, usage errors, notes in code whose
after-case cannot run, and layout corners)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migrate_async.cli import app

STRICT_INI = "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n"

MARKED_TEST = textwrap.dedent(
    """\
    import pytest


    @pytest.mark.asyncio
    async def test_ping():
        assert True
    """
)


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def make_project(root: Path, files: dict[str, str], config: str = STRICT_INI) -> Path:
    (root / "pytest.ini").write_text(config)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def snapshot(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- refusals (exit status 2, nothing written) --------------------------------------------


def test_anyio_tests_refuse_the_run(in_tmp: Path) -> None:
    make_project(
        in_tmp,
        {
            "tests/test_api.py": MARKED_TEST,
            "tests/test_streams.py": """\
                import pytest

                pytestmark = pytest.mark.anyio


                async def test_stream_closes():
                    assert True
                """,
        },
    )
    before = snapshot(in_tmp)
    result = invoke("apply", "--select", "auto-mode", ".")
    assert result.exit_code == 2
    assert "auto-mode" in result.stderr
    assert "anyio or trio" in result.stderr
    assert "tests/test_streams.py:3 (pytest.mark.anyio)" in result.stderr
    assert "asyncio-marker" in result.stderr
    assert snapshot(in_tmp) == before


def test_anyio_backend_fixture_in_conftest_refuses(in_tmp: Path) -> None:
    make_project(
        in_tmp,
        {
            "tests/conftest.py": """\
                import pytest


                @pytest.fixture
                def anyio_backend():
                    return "asyncio"
                """,
            "tests/test_api.py": MARKED_TEST,
        },
    )
    result = invoke("diff", "--select", "auto-mode", "tests/test_api.py")
    assert result.exit_code == 2
    assert "tests/conftest.py:5 (the anyio_backend fixture)" in result.stderr


@pytest.mark.parametrize(
    "files, config, shown",
    [
        (
            {"tests/conftest.py": "import pytest_trio\n"},
            STRICT_INI,
            "tests/conftest.py:1 (import pytest_trio)",
        ),
        (
            {"tests/conftest.py": 'pytest_plugins = ["pytest_trio"]\n'},
            STRICT_INI,
            'pytest_plugins loads "pytest_trio"',
        ),
        ({}, STRICT_INI + "trio_mode = true\n", "pytest.ini (trio_mode = true)"),
        (
            {"tests/test_nursery.py": "import pytest\n\n\n@pytest.mark.trio\nasync def test_nursery():\n    pass\n"},
            STRICT_INI,
            "tests/test_nursery.py:4 (pytest.mark.trio)",
        ),
    ],
    ids=["import", "pytest_plugins", "trio_mode", "mark"],
)
def test_trio_refuses_the_run(in_tmp: Path, files: dict[str, str], config: str, shown: str) -> None:
    make_project(in_tmp, {"tests/test_api.py": MARKED_TEST, **files}, config)
    result = invoke("check", "--select", "auto-mode", ".")
    assert result.exit_code == 2
    assert shown in result.stderr


def test_strict_mode_in_addopts_refuses_with_the_fix(in_tmp: Path) -> None:
    make_project(
        in_tmp,
        {"tests/test_api.py": MARKED_TEST},
        "[pytest]\naddopts = -ra --asyncio-mode=strict\nasyncio_default_fixture_loop_scope = function\n",
    )
    before = snapshot(in_tmp)
    result = invoke("apply", "--select", "auto-mode", ".")
    assert result.exit_code == 2
    assert "'--asyncio-mode=strict' in the addopts of pytest.ini" in result.stderr
    assert "remove it from addopts" in result.stderr
    assert snapshot(in_tmp) == before


def test_anyio_outside_test_code_does_not_refuse(in_tmp: Path) -> None:
    make_project(
        in_tmp,
        {
            "src/app/streams.py": "import anyio\n\n\nasync def pump(trio_compatible=True):\n    await anyio.sleep(0)\n",
            "tests/test_api.py": MARKED_TEST,
        },
    )
    result = invoke("apply", "--select", "auto-mode", ".")
    assert result.exit_code == 0, result.stderr
    assert "asyncio_mode = auto" in (in_tmp / "pytest.ini").read_text()
    assert "mark.asyncio" not in (in_tmp / "tests/test_api.py").read_text()


def test_already_auto_project_with_anyio_is_not_refused(in_tmp: Path) -> None:
    make_project(
        in_tmp,
        {"tests/test_api.py": MARKED_TEST, "tests/test_streams.py": "import pytest\n\npytestmark = pytest.mark.anyio\n"},
        "[pytest]\nasyncio_mode = auto\n",
    )
    before = snapshot(in_tmp)
    result = invoke("apply", "--select", "auto-mode", ".")
    assert result.exit_code == 0, result.stderr
    assert snapshot(in_tmp) == before


# -- usage error ---------------------------------------------------------------------------


@pytest.mark.parametrize("select", [["auto-mode,asyncio-marker"], ["asyncio-marker", "auto-mode"]])
def test_auto_mode_with_asyncio_marker_is_a_usage_error(in_tmp: Path, select: list[str]) -> None:
    make_project(in_tmp, {"tests/test_api.py": MARKED_TEST})
    args = [arg for name in select for arg in ("--select", name)]
    result = invoke("diff", *args, ".")
    assert result.exit_code == 2
    assert "auto-mode cannot run together with asyncio-marker" in result.stderr


def test_auto_mode_is_opt_in(in_tmp: Path) -> None:
    make_project(in_tmp, {"tests/test_api.py": MARKED_TEST})
    result = invoke("diff", ".")
    assert result.exit_code == 0
    assert "asyncio_mode" not in result.stdout


# -- what the golden after-cases cannot run --------------------------------------------------


def test_base_class_from_another_module_keeps_method_marks_with_a_note(in_tmp: Path) -> None:
    make_project(
        in_tmp,
        {
            "tests/test_orders.py": """\
                import pytest

                from tests.base import ApiTest


                @pytest.mark.asyncio
                class TestOrders(ApiTest):
                    @pytest.mark.asyncio
                    async def test_list(self):
                        assert True
                """,
        },
    )
    result = invoke("apply", "--select", "auto-mode", ".")
    assert result.exit_code == 0, result.stderr
    text = (in_tmp / "tests/test_orders.py").read_text()
    # the class's own bare mark goes (pytest finds the base class's marks first anyway),
    # the method's stays: a loop_scope mark on ApiTest would take over without it
    assert text == textwrap.dedent(
        """\
        import pytest

        from tests.base import ApiTest


        class TestOrders(ApiTest):
            @pytest.mark.asyncio
            async def test_list(self):
                assert True
        """
    )
    assert "tests/test_orders.py:6:1: auto-mode: class TestOrders derives from ApiTest" in result.stderr


def test_pytestmark_corners(in_tmp: Path) -> None:
    make_project(
        in_tmp,
        {
            "tests/test_corners.py": """\
                import pytest

                # every test here is a coroutine
                pytestmark = pytest.mark.asyncio
                TIMEOUT = 3


                class TestOnlyMark:
                    pytestmark = pytest.mark.asyncio


                class TestSemicolon:
                    pytestmark = pytest.mark.asyncio; limit = 2

                    async def test_limit(self):
                        assert self.limit == 2


                class TestTuple:
                    pytestmark = pytest.mark.slow, pytest.mark.asyncio

                    async def test_tuple(self):
                        pass
                """,
        },
    )
    result = invoke("apply", "--select", "auto-mode", ".")
    assert result.exit_code == 0, result.stderr
    assert (in_tmp / "tests/test_corners.py").read_text() == textwrap.dedent(
        """\
        import pytest

        TIMEOUT = 3


        class TestOnlyMark:
            pytestmark = pytest.mark.asyncio


        class TestSemicolon:
            limit = 2

            async def test_limit(self):
                assert self.limit == 2


        class TestTuple:
            pytestmark = pytest.mark.slow, pytest.mark.asyncio

            async def test_tuple(self):
                pass
        """
    )
    again = invoke("check", "--select", "auto-mode", ".")
    assert again.exit_code == 0, again.stdout


def test_unreadable_pytestmark_keeps_bare_marks(in_tmp: Path) -> None:
    source = """\
        import pytest

        from tests.marks import SLOW

        pytestmark = [SLOW]
        pytestmark += [pytest.mark.asyncio]


        @pytest.mark.asyncio
        async def test_kept():
            pass
        """
    make_project(in_tmp, {"tests/test_dynamic.py": source})
    result = invoke("apply", "--select", "auto-mode", ".")
    assert result.exit_code == 0, result.stderr
    assert (in_tmp / "tests/test_dynamic.py").read_text() == textwrap.dedent(source)
    assert "asyncio_mode = auto" in (in_tmp / "pytest.ini").read_text()


def test_sync_tests_fixtures_and_unittest_classes_keep_their_marks(in_tmp: Path) -> None:
    source = """\
        import unittest

        import pytest


        @pytest.mark.asyncio
        def test_sync():
            pass


        @pytest.fixture
        @pytest.mark.asyncio
        async def client():
            return 1


        class TestLegacy(unittest.IsolatedAsyncioTestCase):
            @pytest.mark.asyncio
            async def test_case(self):
                pass


        class Helper:
            @pytest.mark.asyncio
            async def test_not_collected(self):
                pass
        """
    make_project(in_tmp, {"tests/test_left.py": source})
    result = invoke("apply", "--select", "auto-mode", ".")
    assert result.exit_code == 0, result.stderr
    assert (in_tmp / "tests/test_left.py").read_text() == textwrap.dedent(source)
