import asyncio

import pytest


class TestOrderHistory:
    @pytest.mark.asyncio
    async def test_orders_use_the_session_pool(self, db_pool):
        assert asyncio.get_running_loop() is db_pool.loop
        assert await db_pool.fetch("select * from orders") == [{"query": "select * from orders"}]
