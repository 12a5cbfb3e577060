"""A small cooperative job runner."""

import asyncio


async def run_in_steps(units: int) -> int:
    """Do ``units`` units of work, giving the loop a turn after each one."""
    done = 0
    for _ in range(units):
        await asyncio.sleep(0)
        done += 1
    return done


def schedule_soon(callback, delay: float = 0.01) -> asyncio.TimerHandle:
    return asyncio.get_running_loop().call_later(delay, callback)
