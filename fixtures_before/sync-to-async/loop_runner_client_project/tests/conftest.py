import pytest

from shop.client import OrderTracker


@pytest.fixture
def tracker(event_loop):
    return OrderTracker(event_loop)
