"""`event_loop` is the UI toolkit's main loop stub that widgets post redraws to."""

import pytest


class MainLoop:
    def __init__(self):
        self.redraws = []

    def post_redraw(self, widget):
        self.redraws.append(widget)


@pytest.fixture
def event_loop():
    return MainLoop()
