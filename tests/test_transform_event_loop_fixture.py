"""event-loop-fixture: the survey's decisions that the golden pairs do not show."""

from __future__ import annotations

import textwrap

from migrate_async.project import FileFacts, ProjectFacts
from migrate_async.transforms.event_loop_fixture import EventLoopFixture, survey_source


def _survey(code: str, path: str = "tests/test_mod.py", target=(1, 5)):
    facts = FileFacts(project=ProjectFacts(target=target), path=path)
    return survey_source(textwrap.dedent(code), facts)


OVERRIDE = """
    import asyncio
    import pytest

    @pytest.fixture(scope={scope})
    def event_loop():
        loop = {make}
        yield loop
        loop.close()

    @pytest.mark.asyncio
    async def test_x():
        pass
"""


def test_dynamic_scope_is_left_with_a_reason() -> None:
    found = _survey(OVERRIDE.format(scope="pick_scope()", make="asyncio.new_event_loop()"))
    assert found is not None
    (override,) = found.overrides
    assert override.action == "leave" and "not a string literal" in override.reason


def test_loop_kinds() -> None:
    uv = _survey("import uvloop\n" + textwrap.dedent(OVERRIDE.format(scope='"session"', make="uvloop.new_event_loop()")),
                 path="conftest.py")
    assert uv is not None and uv.overrides[0].kind == "uvloop" and uv.overrides[0].action == "carry"
    policy = _survey(OVERRIDE.format(scope='"module"', make="asyncio.get_event_loop_policy().new_event_loop()"))
    assert policy is not None and policy.overrides[0].kind == "asyncio"


def test_custom_loop_below_1_4_is_left() -> None:
    # a real loop class, so that the override is left for the target, not as unrecognised
    code = "import asyncio\n\n\nclass ClockLoop(asyncio.SelectorEventLoop):\n    pass\n" + textwrap.dedent(
        OVERRIDE.format(scope='"function"', make="ClockLoop()")
    )
    found = _survey(code, path="conftest.py", target=(1, 3))
    assert found is not None and found.overrides[0].action == "leave"
    assert "1.4" in found.overrides[0].reason


def test_existing_collection_hook_blocks_a_nested_conftest() -> None:
    code = textwrap.dedent(OVERRIDE.format(scope='"session"', make="asyncio.new_event_loop()"))
    code += "\ndef pytest_collection_modifyitems(items):\n    pass\n"
    found = _survey(code, path="conftest.py", target=(0, 25))  # the hook is needed below 0.26
    assert found is not None and found.overrides[0].action == "leave"


def test_sync_only_module_is_not_surveyed() -> None:
    code = """
        import asyncio
        import pytest

        @pytest.fixture
        def event_loop():
            loop = asyncio.new_event_loop()
            yield loop
            loop.close()

        def test_sync(event_loop):
            assert not event_loop.is_running()
    """
    assert _survey(code) is None


def test_no_survey_no_parse() -> None:
    assert not EventLoopFixture.applies_to(FileFacts())
