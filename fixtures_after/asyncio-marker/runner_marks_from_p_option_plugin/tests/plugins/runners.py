"""Loaded with -p (addopts): a plugin, whose fixtures every test gets."""

import pytest


@pytest.fixture(
    params=[
        pytest.param("function", marks=pytest.mark.asyncio),
        pytest.param("module", marks=pytest.mark.asyncio(loop_scope="module")),
    ]
)
def runner(request):
    return request.param
