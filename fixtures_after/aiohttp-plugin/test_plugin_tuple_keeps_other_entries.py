import pytest

pytest_plugins = (
    "pytester",
)


@pytest.fixture
def ports(request):
    make_port = request.getfixturevalue("unused_tcp_port_factory")
    return [make_port(), make_port()]


@pytest.mark.usefixtures("aiohttp_raw_server")
def test_ports_differ(ports):
    assert ports[0] != ports[1]


def test_pytester_still_loaded(pytester):
    assert pytester.path.exists()
