"""Sync tests only, all in a class: no asyncio mark may reach them."""

import pytest


class TestSettings:
    def test_defaults(self):
        assert {"retries": 3}["retries"] == 3

    def test_unknown_key(self):
        with pytest.raises(KeyError):
            {"retries": 3}["timeout"]
