"""A web framework whose handlers run their coroutines on a loop of their own (pytest-asyncio 0.21)."""
import asyncio

import pytest


async def greet(name: str) -> str:
    await asyncio.sleep(0)
    return f"hello {name}"


class App:
    """Calls each handler synchronously, as a WSGI server would."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def handle(self, name: str) -> str:
        loop = asyncio.new_event_loop()
        try:
            self.calls.append(name)
            return loop.run_until_complete(greet(name))
        finally:
            loop.close()


@pytest.fixture
def app():
    return App()


def test_handler_answers(app):
    assert app.handle("ada") == "hello ada"


def test_handler_records_calls(
    app: App,
) -> None:
    app.handle("bob")
    app.handle("eve")
    assert app.calls == ["bob", "eve"]


def test_fresh_app_has_no_calls() -> None:
    assert App().calls == []
