"""Tests for the scaffolding command that writes new async test modules."""

import textwrap

import pytest

TEMPLATE = textwrap.dedent(
    '''\
    import pytest


    @pytest.mark.asyncio
    async def test_{name}():
        ...
    '''
)


def render(name: str) -> str:
    return TEMPLATE.format(name=name)


@pytest.mark.parametrize("name", ["login", "logout"])
def test_rendered_module_marks_the_coroutine(name):
    rendered = render(name)
    assert "@pytest.mark.asyncio\n" in rendered
    assert f"async def test_{name}():" in rendered


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_rendered_module_compiles():
    compile(render("signup"), "<scaffold>", "exec")
