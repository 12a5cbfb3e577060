"""Async test recorder: a local object that happens to be called asynctest."""

import pytest


class AsyncTestRecorder:
    """Records which async tests patched what (a stand-in for a reporting plugin)."""

    TestCase = "recorded-case"

    def __init__(self):
        self.patched = []

    def patch(self, target):
        self.patched.append(target)
        return target

    def CoroutineMock(self):
        return len(self.patched)


asynctest = AsyncTestRecorder()


@pytest.mark.asyncio
async def test_recorder_tracks_patches():
    asynctest.patch("billing.charge")
    asynctest.patch("billing.refund")

    assert asynctest.CoroutineMock() == 2
    assert asynctest.TestCase == "recorded-case"


def test_recorder_is_a_plain_object():
    recorder = AsyncTestRecorder()
    assert recorder.patch("x") == "x"
