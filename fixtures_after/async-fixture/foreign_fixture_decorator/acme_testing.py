"""The company's test helpers: a fixture decorator that records every fixture it declares."""

import pytest_asyncio

DECLARED: list[str] = []


def fixture(function=None, **kwargs):
    def register(func):
        DECLARED.append(func.__name__)
        return pytest_asyncio.fixture(func, **kwargs)

    return register(function) if function is not None else register
