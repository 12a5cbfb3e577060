"""A sync helper that handles "no current event loop" itself is not flagged; one that does not is."""
import asyncio


def current_loop_or_none():
    try:
        return asyncio.get_event_loop()
    except RuntimeError:
        return None


def current_loop():
    return asyncio.get_event_loop()


def test_no_loop_is_current_here():
    assert current_loop_or_none() is None or not current_loop_or_none().is_running()
