import asyncio

import pytest


@pytest.mark.asyncio
async def test_fetch_user(db_pool, user_row):
    assert user_row == {"query": "select * from users limit 1"}
    assert asyncio.get_running_loop() is db_pool.loop


@pytest.mark.asyncio
async def test_pool_is_reused(db_pool):
    assert await db_pool.fetch("select 1") == [{"query": "select 1"}]
