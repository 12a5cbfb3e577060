import asyncio

import pytest
import pytest_asyncio


class Executor:
    def __init__(self, loop=None):
        self.loop = loop


@pytest.fixture
def executor():
    return Executor()


@pytest.fixture
def app(executor):
    return {"executor": executor}


@pytest_asyncio.fixture
async def client(app):
    yield app
