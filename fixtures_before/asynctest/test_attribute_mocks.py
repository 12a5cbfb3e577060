"""Order service tests: the payment gateway and the mailer are mocked."""

import asynctest
import pytest


class OrderService:
    def __init__(self, gateway, mailer):
        self.gateway = gateway
        self.mailer = mailer

    async def checkout(self, customer, amount):
        receipt = await self.gateway.charge(customer, amount)
        await self.mailer.send(customer, f"receipt {receipt}")
        return receipt


@pytest.fixture
def gateway():
    gateway = asynctest.MagicMock()
    gateway.charge = asynctest.CoroutineMock(return_value="r-100")
    return gateway


@pytest.mark.asyncio
async def test_checkout_charges_and_mails(gateway):
    mailer = asynctest.Mock(send=asynctest.CoroutineMock())
    service = OrderService(gateway, mailer)

    assert await service.checkout("ada", 30) == "r-100"

    gateway.charge.assert_awaited_once_with("ada", 30)
    mailer.send.assert_has_awaits([asynctest.call("ada", asynctest.ANY)])


@pytest.mark.asyncio
async def test_checkout_does_not_mail_when_the_charge_fails(gateway):
    gateway.charge.side_effect = ConnectionError("gateway down")
    mailer = asynctest.Mock()
    service = OrderService(gateway, mailer)

    with asynctest.patch.object(service, "mailer") as patched_mailer:
        with pytest.raises(ConnectionError):
            await service.checkout("ada", 30)

    patched_mailer.send.assert_not_called()
