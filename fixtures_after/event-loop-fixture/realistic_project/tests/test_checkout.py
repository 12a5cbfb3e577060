import asyncio

import pytest
import pytest_asyncio


@pytest.mark.asyncio(loop_scope="class")
class TestCheckoutFlow:
    carts = []

    @pytest_asyncio.fixture(loop_scope="class")
    async def cart(self):
        if not self.carts:
            self.carts.append({"loop": asyncio.get_running_loop(), "lines": []})
        return self.carts[0]

    async def test_add_line(self, cart):
        cart["lines"].append(("sku-1", 2))
        assert cart["loop"] is asyncio.get_running_loop()

    async def test_total_uses_same_cart(self, cart, settings):
        assert cart["loop"] is asyncio.get_running_loop()
        total = sum(qty * 10.0 for _, qty in cart["lines"]) * (1 + settings["tax_rate"])
        assert total == 24.0


class TestOrderEvents:
    @pytest.mark.asyncio
    async def test_emit_in_app_loop(self, app):
        await app.emit("order.created")
        assert app.events.qsize() == 1

    @pytest.mark.asyncio
    async def test_events_consumed_in_same_loop(self, app):
        assert await asyncio.wait_for(app.events.get(), 0.05) == "order.created"
