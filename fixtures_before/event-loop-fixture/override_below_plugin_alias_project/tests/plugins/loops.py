"""Fixtures every test gets: the root conftest.py loads this module as a plugin.

``loop`` is asked for from each test that requests it, so pytest looks for its
``event_loop`` there: below tests/sub/ that is the CountingLoop override of
tests/sub/conftest.py. Removing that override (a loop-factories hook instead) would leave
this fixture requesting a fixture nobody provides: the edit is withdrawn, and said.
"""

import pytest


@pytest.fixture
def loop(event_loop):
    return event_loop
