"""Here `event_loop` is the game engine's frame loop, not an asyncio loop."""

import pytest


class FrameLoop:
    def __init__(self, fps):
        self.fps = fps
        self.pending = []

    def call_next_frame(self, callback, *args):
        self.pending.append((callback, args))

    def step(self):
        ready, self.pending = self.pending, []
        for callback, args in ready:
            callback(*args)


@pytest.fixture
def event_loop():
    engine = FrameLoop(fps=60)
    yield engine
    engine.pending.clear()


@pytest.mark.asyncio
async def test_sprite_moves_on_next_frame(event_loop):
    positions = []
    event_loop.call_next_frame(positions.append, (1, 2))
    assert positions == []
    event_loop.step()
    assert positions == [(1, 2)]


@pytest.mark.usefixtures("event_loop")
@pytest.mark.asyncio
async def test_engine_runs_at_sixty_fps(request):
    engine = request.getfixturevalue("event_loop")
    assert engine.fps == 60
