"""Fixtures every test gets: the root conftest.py loads this module as a plugin."""

import asyncio

import pytest
import pytest_asyncio


@pytest.fixture(params=[pytest.param("shared", marks=pytest.mark.asyncio(loop_scope="module"))])
def runner(request):
    return request.param


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def module_loop():
    return asyncio.get_running_loop()
