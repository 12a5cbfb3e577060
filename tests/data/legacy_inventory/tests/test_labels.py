"""Label printing: a sync printer API, a batch job and a stock-level server (pytest-asyncio 0.21)."""
import asyncio
from collections.abc import Iterator

import pytest


async def render(sku: str, level: int) -> str:
    await asyncio.sleep(0)
    return f"{sku}: {level}"


class LabelPrinter:
    """A sync API that renders labels on the loop it is handed."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop

    def print_label(self, sku: str, level: int) -> str:
        return self.loop.run_until_complete(render(sku, level))


def print_batch(labels: list[tuple[str, int]]) -> list[str]:
    """The batch job's entry point: it runs a loop of its own."""

    async def main() -> list[str]:
        return [await render(sku, level) for sku, level in labels]

    return asyncio.run(main())


async def serve_levels(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    sku = (await reader.readline()).decode().strip()
    writer.write(f"{sku}=0\n".encode())
    await writer.drain()
    writer.close()


async def query(port: int, sku: str) -> str:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(sku.encode() + b"\n")
    await writer.drain()
    answer = await reader.readline()
    writer.close()
    return answer.decode().strip()


@pytest.fixture
def level_server(event_loop: asyncio.AbstractEventLoop) -> Iterator[int]:
    server = event_loop.run_until_complete(asyncio.start_server(serve_levels, "127.0.0.1", 0))
    yield server.sockets[0].getsockname()[1]
    server.close()
    event_loop.run_until_complete(server.wait_closed())


def test_level_server_answers(level_server, event_loop):
    # the server runs on the fixture's loop: one that is not running never answers
    answer = event_loop.run_until_complete(asyncio.wait_for(query(level_server, "widget"), timeout=2))
    assert answer == "widget=0"


def test_printer_uses_the_loop_it_is_given(event_loop):
    printer = LabelPrinter(event_loop)
    assert printer.print_label("widget", 5) == "widget: 5"


def test_batch_job_runs_a_loop_of_its_own(event_loop):
    assert print_batch([("widget", 1), ("gadget", 2)]) == ["widget: 1", "gadget: 2"]


def test_batch_after_a_warm_up():
    assert asyncio.run(render("warm", 0)) == "warm: 0"
    assert print_batch([("widget", 3)]) == ["widget: 3"]
