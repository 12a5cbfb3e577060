"""Fixtures every test gets: the root conftest.py loads this module as a plugin."""

import pytest


@pytest.fixture
def loop(event_loop):
    return event_loop
