"""Test helpers of this project (the name is historical: they once wrapped asynctest)."""

from unittest.mock import AsyncMock


def CoroutineMock(result=None):
    """An AsyncMock that returns ``result``; the old name is kept for the test modules."""
    return AsyncMock(return_value=result)


class FakeSmtpClient:
    def __init__(self):
        self.send = CoroutineMock({"accepted": True})
