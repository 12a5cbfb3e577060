import pytest


@pytest.fixture(
    params=[
        pytest.param("asyncio", marks=pytest.mark.anyio),
        pytest.param("trio", marks=pytest.mark.trio),
    ]
)
def backend(request):
    """Each parameter hands the async tests that use it to its own runner."""
    return request.param
