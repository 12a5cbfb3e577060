import pytest


@pytest.fixture(params=[pytest.param("asyncio", marks=pytest.mark.anyio)])
def flavour(request):
    """anyio runs the async tests that use it, on the backend its parameter names."""
    return request.param


@pytest.fixture
def greeting(flavour):
    return f"hello from {flavour}"
