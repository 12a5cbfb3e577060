import pytest


@pytest.fixture(
    params=[
        pytest.param("fast", marks=pytest.mark.asyncio),
        pytest.param("debug", marks=pytest.mark.asyncio(loop_scope="function")),
    ]
)
def runner(request):
    return request.param
