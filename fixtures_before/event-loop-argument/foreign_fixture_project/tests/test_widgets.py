import asyncio

import pytest


class Button:
    def __init__(self, label, event_loop):
        self.label = label
        self.event_loop = event_loop

    async def click(self):
        await asyncio.sleep(0)
        self.event_loop.post_redraw(self.label)


@pytest.mark.asyncio
async def test_click_requests_redraw(event_loop):
    button = Button("Save", event_loop)
    await button.click()
    assert event_loop.redraws == ["Save"]


@pytest.mark.asyncio
@pytest.mark.usefixtures("event_loop")
async def test_main_loop_is_shared(request):
    assert request.getfixturevalue("event_loop").redraws == []
