"""Fixtures tests/a/conftest.py star-imports: they serve the tests of tests/a only."""

import asyncio

import pytest
import pytest_asyncio


@pytest.fixture(params=[pytest.param("shared", marks=pytest.mark.asyncio(loop_scope="module"))])
def runner(request):
    return request.param


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def module_loop():
    return asyncio.get_running_loop()
