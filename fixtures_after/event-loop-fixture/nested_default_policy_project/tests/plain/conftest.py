import asyncio


def pytest_asyncio_loop_factories(config, item):
    # asyncio's own loop for the tests below this folder, as the event_loop_policy
    # fixture this hook replaces gave them: the nearest conftest's hook wins.
    return {"asyncio": asyncio.new_event_loop}
