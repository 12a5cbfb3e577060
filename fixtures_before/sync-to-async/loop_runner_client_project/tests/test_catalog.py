"""Sync tests of the blocking client: it runs each call on the loop it was given
(pytest-asyncio 0.21's event_loop)."""
import pytest

from shop import client as shop_client
from shop.client import CatalogClient


@pytest.fixture
def catalog(event_loop):
    return CatalogClient("alice", loop=event_loop)


@pytest.fixture
def cache(event_loop):
    return shop_client.warm_cache(event_loop, ["apple", "pear"])


def test_login(catalog, event_loop):
    assert catalog.session == "session-alice"
    assert catalog.loop is event_loop


def test_prices(catalog, cache):
    assert catalog.price("apple") == 3
    assert cache == {"apple": 5, "pear": 4}
