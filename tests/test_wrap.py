"""The lines our edits touch come out the way the project's formatter writes them.

The first tests are tables: black-formatted modules (made by black itself from flat ones,
so they are formatter-clean by construction), one edit each (a parameter dropped, ``async``
added, ``loop_scope=`` appended), and black run over our output must change nothing. No
formatter is configured in these cases, so what they check is cstkit.wrap alone.
"""

from __future__ import annotations

import itertools
import subprocess
import textwrap
from pathlib import Path

import black
import libcst as cst
import pytest

from migrate_async.cstkit.edits import remove_param
from migrate_async.cstkit.wrap import rewrap
from migrate_async.engine import RunOptions, migrate_source, run
from migrate_async.project import FileFacts, ProjectFacts
from migrate_async.project.formatting import (
    BLACK,
    RUFF,
    CodeStyle,
    _pre_commit_hooks,
    _ruff_binary,
    detect_style,
    reformat,
)
from migrate_async.transforms import BY_NAME


def _facts(line_length: int = 88, magic: bool = True, formatter: str | None = None) -> FileFacts:
    style = CodeStyle(formatter=formatter, line_length=line_length, magic_trailing_comma=magic)
    return FileFacts(project=ProjectFacts(style=style))


def _black(code: str, line_length: int = 88, magic: bool = True) -> str:
    return black.format_str(code, mode=black.Mode(line_length=line_length, magic_trailing_comma=magic))


NAMES = ("test_x", "test_the_payment_gateway_retries_a_declined_card_once_and_reports_it")
PARAMS = (("client",), ("aiohttp_server", "run_sync_test"), ("db", "cache", "queue", "settings_with_a_long_name"))


def _signature_cases():
    for name, params, position, in_class, annotated in itertools.product(NAMES, PARAMS, (0, -1), (False, True), (False, True)):
        names = list(params)
        names.insert(len(names) if position == -1 else position, "event_loop")
        if in_class:
            names.insert(0, "self")
        returns = " -> dict[str, list[int]]" if annotated else ""
        flat = f"async def {name}({', '.join(names)}){returns}:\n    assert await ping()\n"
        if in_class:
            flat = "class TestGateway:\n" + textwrap.indent(flat, "    ")
        yield f"import pytest\n\n\n{flat}"


SIGNATURES = list(_signature_cases())


@pytest.mark.parametrize("line_length", [88, 60])
@pytest.mark.parametrize("case", SIGNATURES, ids=[str(i) for i in range(len(SIGNATURES))])
def test_a_dropped_parameter_leaves_a_black_clean_signature(case: str, line_length: int) -> None:
    original = _black(case, line_length)
    result = migrate_source(original, select=["event-loop-argument"], facts=_facts(line_length)).code
    assert "event_loop" not in result
    assert _black(result, line_length) == result


@pytest.mark.parametrize("case", SIGNATURES[:8], ids=[str(i) for i in range(8)])
def test_skip_magic_trailing_comma_joins_what_fits(case: str) -> None:
    original = _black(case, 60, magic=False)
    result = migrate_source(original, select=["event-loop-argument"], facts=_facts(60, magic=False)).code
    assert _black(result, 60, magic=False) == result


def test_a_trailing_comma_keeps_one_parameter_a_line() -> None:
    original = "async def test_x(\n    event_loop,\n    client,\n):\n    assert await client.ping()\n"
    result = migrate_source(original, select=["event-loop-argument"], facts=_facts()).code
    assert result == "async def test_x(\n    client,\n):\n    assert await client.ping()\n"
    assert _black(result) == result


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("params", PARAMS)
def test_made_async_the_signature_is_rewrapped(name: str, params: tuple[str, ...]) -> None:
    flat = f"def {name}({', '.join(params)}, event_loop):\n    event_loop.run_until_complete(ping())\n"
    original = _black(f"import pytest\n\n\n{flat}", 60)
    result = migrate_source(original, select=["sync-to-async"], facts=_facts(60)).code
    assert f"async def {name}" in result
    assert _black(result, 60) == result


@pytest.mark.parametrize("params", ['["EUR"]', '["EUR", "GBP", "USD", "CHF", "JPY"]', '["EUR", "GBP", "USD", "CHF", "JPY", "SEK", "NOK"]'])
@pytest.mark.parametrize("in_class", [False, True])
def test_an_appended_loop_scope_keeps_the_decorator_black_clean(params: str, in_class: bool) -> None:
    flat = f'@pytest_asyncio.fixture(scope="module", params={params}, ids=str.lower)\nasync def currency(request):\n    return request.param\n'
    if in_class:
        flat = "class TestRates:\n" + textwrap.indent(flat, "    ")
    original = _black(f"import pytest_asyncio\n\n\n{flat}")
    result = migrate_source(original, select=["fixture-loop-scope"], facts=_facts()).code
    assert 'loop_scope="module"' in result
    assert _black(result) == result


def test_a_visual_indent_is_the_projects_own_style() -> None:
    original = (
        'import pytest_asyncio\n\n\n@pytest_asyncio.fixture(scope="module",\n'
        '                        name="pool")\nasync def make_pool():\n    return 1\n'
    )
    result = migrate_source(original, select=["fixture-loop-scope"], facts=_facts()).code
    assert '@pytest_asyncio.fixture(scope="module",\n                        loop_scope="module",\n' in result
    # with a formatter configured, the formatter's layout wins
    formatted = migrate_source(original, select=["fixture-loop-scope"], facts=_facts(formatter=BLACK)).code
    assert '@pytest_asyncio.fixture(scope="module", loop_scope="module", name="pool")\n' in formatted


def test_a_lone_parameter_that_goes_leaves_empty_brackets() -> None:
    original = "async def test_only(\n    event_loop,\n):\n    pass\n"
    assert migrate_source(original, select=["event-loop-argument"], facts=_facts()).code == "async def test_only():\n    pass\n"


def test_without_a_formatter_a_flat_line_within_the_linters_limit_stays_flat() -> None:
    original = "async def test_the_gateway_retries(event_loop, payment_gateway_client, declined_card_number):\n    pass\n"
    result = migrate_source(original, select=["event-loop-argument"], facts=_facts(120)).code
    assert result == original.replace("event_loop, ", "")


def test_a_bracket_holding_a_comment_keeps_its_layout() -> None:
    original = "async def test_x(\n    client,  # the api client\n    event_loop,\n):\n    assert await client.ping()\n"
    result = migrate_source(original, select=["event-loop-argument"], facts=_facts()).code
    assert result == "async def test_x(\n    client,  # the api client\n):\n    assert await client.ping()\n"


@pytest.mark.parametrize("comment", ["# pylint: disable=unused-argument", "# noqa: PLR0913"])
def test_a_comment_after_the_opening_bracket_survives(comment: str) -> None:
    original = (
        f"async def test_x(  {comment}\n"
        "    event_loop, some_fixture_with_a_long_name, another_fixture_with_a_long_name\n"
        "):\n    pass\n"
    )
    result = migrate_source(original, select=["event-loop-argument"], facts=_facts()).code
    assert result == (
        f"async def test_x(  {comment}\n"
        "    some_fixture_with_a_long_name, another_fixture_with_a_long_name\n"
        "):\n    pass\n"
    )
    assert black.format_str(result, mode=black.Mode()) == result


def test_only_what_changed_is_laid_out_again() -> None:
    original = "def test_far(a,\n             b):\n    pass\n\n\nasync def test_x(client, event_loop):\n    await client.ping()\n"
    module = cst.parse_module(original)
    second = module.body[1]
    edited = module.with_changes(body=[module.body[0], second.with_changes(params=remove_param(second.params, "params", 1))])
    assert rewrap(edited, module, 88, True).code == original.replace(", event_loop", "")


def test_a_nested_def_after_the_inserted_loop_gets_its_blank_line() -> None:
    original = (
        "async def test_x(event_loop):\n    def callback():\n        done.set()\n\n"
        "    event_loop.call_soon(callback)\n    await done.wait()\n"
    )
    result = migrate_source(original, select=["event-loop-argument"], facts=_facts()).code
    assert result.startswith("import asyncio\n\n\nasync def test_x():\n    event_loop = asyncio.get_running_loop()\n\n    def callback():\n")
    assert _black(result) == result


# -- nothing left over --------------------------------------------------------------------
def test_the_annotations_import_goes_with_the_parameter() -> None:
    original = (
        "import asyncio\nfrom asyncio import AbstractEventLoop\n\nimport pytest\n\n\n"
        "@pytest.mark.asyncio\nasync def test_x(event_loop: AbstractEventLoop):\n    await asyncio.sleep(0)\n"
    )
    result = migrate_source(original, select=["event-loop-argument"]).code
    assert "AbstractEventLoop" not in result
    assert result.startswith("import asyncio\n\nimport pytest\n")


def test_an_import_still_read_elsewhere_stays() -> None:
    original = (
        "import asyncio\nfrom asyncio import AbstractEventLoop\n\n\n"
        "async def test_x(event_loop: AbstractEventLoop):\n    await asyncio.sleep(0)\n\n\n"
        "def make() -> AbstractEventLoop:\n    return asyncio.new_event_loop()\n"
    )
    assert "from asyncio import AbstractEventLoop\n" in migrate_source(original, select=["event-loop-argument"]).code


def test_a_removed_override_takes_its_typing_import_along(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "requirements.txt": "pytest-asyncio==0.21.1\n",
            "tests/conftest.py": (
                "import asyncio\nfrom typing import Iterator\n\nimport pytest\n\n\n"
                "@pytest.fixture\ndef event_loop() -> Iterator[asyncio.AbstractEventLoop]:\n"
                "    loop = asyncio.new_event_loop()\n    yield loop\n    loop.close()\n\n\n"
                "@pytest.fixture\ndef settings() -> dict:\n    return {}\n"
            ),
        },
    )
    run([tmp_path], RunOptions(transforms=[BY_NAME["event-loop-fixture"]], target=None, write=True))
    assert (tmp_path / "tests/conftest.py").read_text(encoding="utf-8") == (
        "import pytest\n\n\n@pytest.fixture\ndef settings() -> dict:\n    return {}\n"
    )


def test_assertions_the_migration_made_always_true_go() -> None:
    original = (
        "import asyncio\n\n\nasync def test_x(event_loop):\n    await asyncio.sleep(0)\n"
        "    assert asyncio.get_event_loop() is event_loop\n    assert event_loop == asyncio.get_running_loop()\n"
        "    assert asyncio.get_event_loop() is not event_loop or True\n"
    )
    result = migrate_source(original, select=["event-loop-argument"]).code
    assert result == (
        "import asyncio\n\n\nasync def test_x():\n    event_loop = asyncio.get_running_loop()\n"
        "    await asyncio.sleep(0)\n    assert asyncio.get_event_loop() is not event_loop or True\n"
    )


def test_an_assertion_about_a_name_bound_again_stays() -> None:
    original = (
        "import asyncio\n\n\nasync def test_x(event_loop):\n    await asyncio.sleep(0)\n"
        "    event_loop = asyncio.new_event_loop()\n    assert asyncio.get_event_loop() is event_loop\n"
    )
    assert "assert asyncio.get_event_loop() is event_loop" in migrate_source(original, select=["event-loop-argument"]).code


def test_a_comment_above_a_removed_assertion_stays() -> None:
    original = (
        "import asyncio\n\n\nasync def test_x(event_loop):\n    await asyncio.sleep(0)\n"
        "    # the loop is the test's own\n    assert asyncio.get_event_loop() is event_loop\n"
        "    # then it sleeps\n    await asyncio.sleep(0)\n"
    )
    assert "    # the loop is the test's own\n    # then it sleeps\n" in migrate_source(original, select=["event-loop-argument"]).code


def test_an_import_a_removed_override_only_named_as_a_parameter_stays(tmp_path: Path) -> None:
    # pytest finds fixtures by name: an import that a parameter is named after is a fixture's
    _write(
        tmp_path,
        {
            "requirements.txt": "pytest-asyncio==0.21.1\n",
            "tests/fixtures.py": "import pytest\n\n\n@pytest.fixture\ndef loop_policy():\n    return None\n",
            "tests/conftest.py": (
                "import asyncio\n\nimport pytest\n\nfrom tests.fixtures import loop_policy  # noqa: F401\n\n\n"
                '@pytest.fixture(scope="session")\ndef event_loop(loop_policy):\n'
                "    loop = asyncio.new_event_loop()\n    yield loop\n    loop.close()\n"
            ),
        },
    )
    run([tmp_path], RunOptions(transforms=[BY_NAME["event-loop-fixture"]], target=None, write=True))
    assert "from tests.fixtures import loop_policy" in (tmp_path / "tests/conftest.py").read_text(encoding="utf-8")


def test_a_test_of_nothing_but_that_assertion_keeps_it() -> None:
    original = "import asyncio\n\n\nasync def test_x(event_loop):\n    assert asyncio.get_event_loop() is event_loop\n"
    result = migrate_source(original, select=["event-loop-argument"]).code
    assert "assert asyncio.get_event_loop() is event_loop" in result


# -- the project's formatter --------------------------------------------------------------
def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


#: The start of a .pre-commit-config.yaml, up to the list of the black repository's hooks.
BLACK_REPO = "repos:\n- repo: https://github.com/psf/black\n  rev: 24.1.0\n  hooks:\n"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({}, (None, 88, True)),
        ({"pyproject.toml": "[tool.black]\nline-length = 100\n"}, (BLACK, 100, True)),
        ({"pyproject.toml": "[tool.black]\nskip-magic-trailing-comma = true\n"}, (BLACK, 88, False)),
        ({"pyproject.toml": "[tool.ruff]\nline-length = 79\n"}, (None, 79, True)),  # ruff check only: its limit
        ({"pyproject.toml": "[tool.ruff]\nline-length = 79\n[tool.ruff.format]\nskip-magic-trailing-comma = true\n"}, (RUFF, 79, False)),
        ({"ruff.toml": "line-length = 120\n[format]\n"}, (RUFF, 120, True)),
        ({".pre-commit-config.yaml": "repos:\n- repo: https://github.com/psf/black\n  hooks:\n  - id: black\n"}, (BLACK, 88, True)),
        (
            {
                ".pre-commit-config.yaml": "repos:\n  - repo: x\n    hooks:\n      - id: ruff\n      - id: ruff-format  # fmt\n",
                "pyproject.toml": "[tool.ruff]\nline-length = 99\n",
            },
            (RUFF, 99, True),
        ),
        ({".pre-commit-config.yaml": BLACK_REPO + "  - id: black\n    args: [--line-length=100, -C]\n"}, (BLACK, 100, False)),
        ({".pre-commit-config.yaml": BLACK_REPO + "  - id: black\n    args:\n      - -l\n      - '79'\n  - id: flake8\n"}, (BLACK, 79, True)),
        ({".pre-commit-config.yaml": BLACK_REPO + "  - id: black\n    args: [-l, 100]\n"}, (BLACK, 100, True)),  # a YAML number
        ({".pre-commit-config.yaml": BLACK_REPO + "  - id: black\n    args: --line-length=99\n"}, (BLACK, 99, True)),  # one string
        ({"pyproject.toml": "[tool.black]\nline_length = 110\nskip_magic_trailing_comma = true\n"}, (BLACK, 110, False)),
        ({"setup.cfg": "[flake8]\nmax-line-length = 120\n"}, (None, 120, True)),  # no formatter: the linter's limit
        # a limit flake8 does not check binds nothing: black's default
        ({"setup.cfg": "[flake8]\nmax-line-length = 80\nignore = E203, E501, W503\n"}, (None, 88, True)),
        ({"tox.ini": "[flake8]\nmax-line-length = 80\nextend-ignore = E5\n"}, (None, 88, True)),
        ({"setup.cfg": "[flake8]\nmax-line-length = 80\nignore = E502\n"}, (None, 80, True)),
        # yapf's column_limit (dbus-next: .style.yapf says 100, flake8 ignores E501)
        ({".style.yapf": "[style]\nbased_on_style = pep8\ncolumn_limit = 100\n", ".flake8": "[flake8]\nignore = E501\n"}, (None, 100, True)),
        ({"setup.cfg": "[yapf]\ncolumn_limit = 120\n[flake8]\nmax-line-length = 130\n"}, (None, 120, True)),
        # flake8's shorter limit binds the lines written too
        ({"setup.cfg": "[yapf]\ncolumn_limit = 120\n[flake8]\nmax-line-length = 90\n"}, (None, 90, True)),
        # yapf reads the first file with its section: a limit further on is not its
        ({".style.yapf": "[style]\nbased_on_style = pep8\n", "setup.cfg": "[yapf]\ncolumn_limit = 120\n"}, (None, 88, True)),
        ({"pyproject.toml": "[tool.yapf]\ncolumn_limit = 110\n"}, (None, 110, True)),
        ({".style.yapf": "[style]\nbased_on_style = google\n"}, (None, 88, True)),  # no limit set: not guessed
    ],
)
def test_the_formatter_and_its_settings_are_found(tmp_path: Path, files: dict[str, str], expected: tuple) -> None:
    _write(tmp_path, files)
    style = detect_style([tmp_path])
    assert (style.formatter, style.line_length, style.magic_trailing_comma) == expected
    assert style.known


def test_settings_from_a_config_file_of_the_hook_are_unknown(tmp_path: Path) -> None:
    _write(tmp_path, {".pre-commit-config.yaml": BLACK_REPO + "  - id: black\n    args: [--config, tools/black.toml]\n"})
    style = detect_style([tmp_path])
    assert style.formatter == BLACK and not style.known
    long = "async def test_x(event_loop, a_client_fixture_with_a_long_name, another_one_with_a_long_name):\n    pass\n"
    facts = FileFacts(project=ProjectFacts(style=style))
    assert "(\n" not in migrate_source(long, select=["event-loop-argument"], facts=facts).code



@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (BLACK_REPO + "  - id: black\n    args: [--line-length=100, -C]\n", {"black": ["--line-length=100", "-C"]}),
        (
            BLACK_REPO + "  - id: black\n    args:\n      - -l\n      - '79'\n  - id: black-jupyter\n",
            {"black": ["-l", "79"], "black-jupyter": []},
        ),
        # quoted: a comma or a '#' inside quotes is part of the argument
        (
            BLACK_REPO + "  - id: black\n    args: [\"--line-length=100\", '--x=a, b', \"--y= #z\"]\n",
            {"black": ["--line-length=100", "--x=a, b", "--y= #z"]},
        ),
        (BLACK_REPO + "  - id: black\n    args: --line-length=100\n", {"black": ["--line-length=100"]}),  # a lone string
        (BLACK_REPO + "  - id: black\n    args: [-l, 100, 1.5, true]\n", {"black": ["-l", "100", "1.5", "True"]}),  # scalars: str()
        (BLACK_REPO + "  - id: black\n    args: [-C, ~, [-l, '1'], {a: b}]\n", {"black": ["-C"]}),  # nothing to write as one word
        (  # an anchor, an alias, and comments everywhere, one of them looking like a hook
            "# id: commented-out\nrepos:  # the repositories\n"
            "- repo: https://github.com/psf/black  # black\n  rev: 24.1.0\n  hooks:\n"
            "  - id: black  # fmt\n    args: &style [--line-length=90, -C]  # the style\n"
            "  # - id: ruff-format\n"
            "- repo: local\n  hooks:\n  - id: black-jupyter\n    name: black-jupyter\n    entry: black\n"
            "    language: system\n    args: *style\n",
            {"black": ["--line-length=90", "-C"], "black-jupyter": ["--line-length=90", "-C"]},
        ),
        (  # a local hook written as a flow mapping
            "repos:\n- repo: local\n  hooks:\n"
            "  - {id: ruff-format, name: f, entry: ruff format, language: system, args: [--line-length, 79]}\n",
            {"ruff-format": ["--line-length", "79"]},
        ),
        # shapes pre-commit would not accept: what is there is read, the rest passed over
        ("", {}),
        ("# nothing but a comment\n", {}),
        ("repos: black\n", {}),
        (  # a repo that is not a mapping, hooks that are not a list, hooks without a usable id
            "repos:\n- repo: x\n- hooks\n- repo: y\n  hooks: black\n"
            "- repo: z\n  hooks:\n  - black\n  - args: [-C]\n  - id: [black]\n",
            {},
        ),
        ("- id: black\n  args: [-C]\n", {}),  # no repos: a list of hooks alone
        (BLACK_REPO + "  - id: black\n    args: {line-length: 100}\n  - id: ruff-format\n", {"black": [], "ruff-format": []}),
        # not YAML, or YAML that PyYAML cannot build: nothing, and no error
        ("repos: [\n- repo: x\n", {}),
        ("repos:\n\t- repo: x\n", {}),
        ("repos:\n- repo: x\n  hooks:\n  - id: black\n - id: ruff\n", {}),
        ("repos: []\n---\nrepos: []\n", {}),
        ("rev: 2024-13-45\n" + BLACK_REPO + "  - id: black\n", {}),  # ValueError, not YAMLError
        ("rev: !!int v1\n", {}),
        ("[" * 1000, {}),  # nesting this deep is a RecursionError in PyYAML
        ("repos: !!python/object/apply:os.system [echo]\n", {}),
    ],
)
def test_the_pre_commit_hooks_and_their_args_are_read(tmp_path: Path, text: str, expected: dict[str, list[str]]) -> None:
    (tmp_path / ".pre-commit-config.yaml").write_text(text, encoding="utf-8")
    assert _pre_commit_hooks(tmp_path / ".pre-commit-config.yaml") == expected


def test_a_missing_or_undecodable_pre_commit_config_has_no_hooks(tmp_path: Path) -> None:
    assert _pre_commit_hooks(tmp_path / ".pre-commit-config.yaml") == {}
    (tmp_path / ".pre-commit-config.yaml").write_bytes(b"repos:\n- repo: \xff\n")
    assert _pre_commit_hooks(tmp_path / ".pre-commit-config.yaml") == {}


LONG_WITH = (
    "import httpx\n\n\nasync def test_api(app):\n"
    '    async with httpx.AsyncClient(app=app, base_url="http://test.example") as client:\n'
    "        assert (await client.get('/')).status_code == 200\n"
)


def test_black_formats_what_we_changed_in_a_black_clean_file(tmp_path: Path) -> None:
    style = CodeStyle(formatter=BLACK, line_length=88, root=tmp_path)
    before = _black(LONG_WITH)
    after = before.replace("app=app", "transport=httpx.ASGITransport(app=app)")
    assert reformat(before, after, str(tmp_path / "test_api.py"), style) == _black(after)
    assert _black(after) != after  # the case is one our own wrapping does not cover


def test_a_file_that_was_not_formatter_clean_is_not_formatted(tmp_path: Path) -> None:
    style = CodeStyle(formatter=BLACK, line_length=88, root=tmp_path)
    before = LONG_WITH.replace("(await client.get('/'))", "( await client.get('/') )")
    after = before.replace("app=app", "transport=httpx.ASGITransport(app=app)")
    assert reformat(before, after, str(tmp_path / "test_api.py"), style) == after


def test_without_the_formatter_installed_the_text_stays_ours(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("migrate_async.project.formatting._ruff_binary", lambda: None)
    style = CodeStyle(formatter=RUFF, line_length=88, root=tmp_path)
    before = _black(LONG_WITH)
    after = before.replace("app=app", "transport=httpx.ASGITransport(app=app)")
    assert reformat(before, after, str(tmp_path / "test_api.py"), style) == after


@pytest.mark.skipif(_ruff_binary() is None, reason="ruff is not installed")
def test_ruff_format_reads_the_projects_own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the nested configuration (line length 60) is found from the file's path, wherever the run starts
    _write(tmp_path, {"pyproject.toml": "[tool.ruff.format]\n", "tests/ruff.toml": 'extend = "../pyproject.toml"\nline-length = 60\n'})
    style = detect_style([tmp_path])
    monkeypatch.chdir(tmp_path / "tests")

    def ruff(text: str, *options: str) -> subprocess.CompletedProcess:
        command = [_ruff_binary(), "format", *options, "--stdin-filename", "test_api.py", "-"]
        return subprocess.run(command, input=text.encode(), capture_output=True, check=False)

    before = ruff(LONG_WITH).stdout.decode()
    after = before.replace("app=app", "transport=httpx.ASGITransport(app=app)")
    assert ruff(after, "--check").returncode == 1
    result = reformat(before, after, "test_api.py", style)
    assert ruff(result, "--check").returncode == 0


def test_the_engine_uses_the_projects_formatter(tmp_path: Path) -> None:
    _write(tmp_path, {"pyproject.toml": "[tool.black]\nline-length = 60\n", "requirements.txt": "pytest-asyncio==0.21.1\n"})
    source = _black(
        "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_ping(event_loop, server_with_a_name):\n"
        "    assert await server_with_a_name.ping()\n",
        60,
    )
    _write(tmp_path, {"tests/test_ping.py": source})
    result = run([tmp_path], RunOptions(transforms=[BY_NAME["event-loop-argument"]], target=None, write=True))
    assert not [f for f in result.files if f.error]
    text = (tmp_path / "tests/test_ping.py").read_text(encoding="utf-8")
    assert "async def test_ping(server_with_a_name):" in text
    assert _black(text, 60) == text



@pytest.mark.parametrize("head", ["async with", "with"])
@pytest.mark.parametrize(
    "args",
    ['app=app, base_url="http://e.org"', 'app=app.wrapped_application, base_url="http://example.org"', "app=app"],
)
@pytest.mark.parametrize("line_length", [88, 70])
def test_a_with_line_whose_call_grew_stays_black_clean(head: str, args: str, line_length: int) -> None:
    client = "httpx.AsyncClient" if head == "async with" else "httpx.Client"
    flat = f"import httpx\n\n\nasync def test_api(app):\n    {head} {client}({args}) as client:\n        assert client\n"
    original = _black(flat, line_length)
    result = migrate_source(original, select=["httpx-asgi-transport"], facts=_facts(line_length)).code
    if head == "async with":
        assert "ASGITransport" in result
    assert _black(result, line_length) == result


@pytest.mark.parametrize(
    "args",
    ['app=app, base_url="http://e.org"', 'app=app.wrapped_application, base_url="http://example.org", headers=headers', "app=app"],
)
@pytest.mark.parametrize("line_length", [88, 70])
@pytest.mark.parametrize("statement", ["return", "client ="])
def test_a_return_or_assignment_whose_call_grew_stays_black_clean(args: str, line_length: int, statement: str) -> None:
    flat = f"import httpx\n\n\ndef make_client(app, headers):\n    {statement} httpx.AsyncClient({args})\n"
    original = _black(flat, line_length)
    result = migrate_source(original, select=["httpx-asgi-transport"], facts=_facts(line_length)).code
    assert "ASGITransport" in result
    assert _black(result, line_length) == result


@pytest.mark.parametrize("marks", ['pytest.mark.usefixtures("audit_log")', 'pytest.mark.usefixtures("audit_log_of_the_whole_module_and_more")', "pytest.mark.slow, pytest.mark.usefixtures(\"db\")"])
def test_a_pytestmark_list_that_grew_stays_black_clean(marks: str) -> None:
    flat = (
        "import asyncio\n\nimport pytest\n\n"
        f"pytestmark = [{marks}]\n\n\n"
        '@pytest.fixture(scope="module")\ndef event_loop():\n    loop = asyncio.new_event_loop()\n    yield loop\n    loop.close()\n\n\n'
        "@pytest.mark.asyncio\nasync def test_a():\n    pass\n"
    )
    original = _black(flat)
    result = migrate_source(original, select=["event-loop-fixture"], facts=_facts()).code
    assert 'loop_scope="module"' in result and "def event_loop" not in result
    assert _black(result) == result


def test_a_long_statement_the_edit_did_not_touch_keeps_its_layout() -> None:
    long_line = '    return make_the_other_client(app=app.wrapped_application, base_url="http://example.org/a/b")\n'
    original = f"import httpx\n\n\ndef other(app):\n{long_line}\n\ndef make_client(app):\n    return httpx.AsyncClient(app=app)\n"
    result = migrate_source(original, select=["httpx-asgi-transport"], facts=_facts()).code
    assert "ASGITransport" in result and long_line in result


@pytest.mark.parametrize("line_length", [88, 60])
def test_a_sleep_made_awaited_stays_black_clean(line_length: int) -> None:
    flat = (
        "import time\n\n\nasync def test_poll(queue):\n"
        "    time.sleep(queue.settings.poll_interval_in_seconds * queue.settings.backoff_factor_for_retries)\n"
    )
    original = _black(flat, line_length)
    result = migrate_source(original, select=["asyncio-sleep"], facts=_facts(line_length)).code
    assert "await asyncio.sleep(" in result
    assert _black(result, line_length) == result


def test_an_annotated_assignment_whose_call_grew_stays_black_clean() -> None:
    flat = 'import httpx\n\n\ndef make(app):\n    client: httpx.AsyncClient = httpx.AsyncClient(app=app.wrapped, base_url="http://example.org")\n    return client\n'
    original = _black(flat)
    result = migrate_source(original, select=["httpx-asgi-transport"], facts=_facts()).code
    assert "ASGITransport" in result and _black(result) == result


VISUAL_DECORATOR = '''\
import pytest


@pytest.fixture(params=[(False, False),
                        (True, False)])
def server(request, event_loop):
    async def inner():
        return request.param
    return event_loop.run_until_complete(inner())


@pytest.fixture(params=[1,
    2])
def other(request, event_loop):
    async def inner():
        return request.param
    return event_loop.run_until_complete(inner())


async def test_server(server, other):
    assert server and other
'''


def test_a_renamed_decorator_keeps_its_visual_indent_lined_up() -> None:
    """aiohttp-cors 0.7.0: ``@pytest.fixture(params=[(False, False),`` continued under its
    list's bracket; renamed to ``@pytest_asyncio.fixture(``, the lines move with the bracket.
    Lines that are not lined up past the old bracket are left as they were."""
    result = migrate_source(VISUAL_DECORATOR, facts=_facts()).code
    assert "@pytest_asyncio.fixture(params=[(False, False),\n                                (True, False)])\n" in result
    assert "@pytest_asyncio.fixture(params=[1,\n    2])\n" in result
    compile(result, "<migrated>", "exec")
