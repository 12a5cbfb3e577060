"""Order service tests: the payment gateway and the mailer are mocked."""

from unittest import mock

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
    gateway = mock.MagicMock()
    gateway.charge = mock.AsyncMock(return_value="r-100")
    return gateway


@pytest.mark.asyncio
async def test_checkout_charges_and_mails(gateway):
    mailer = mock.Mock(send=mock.AsyncMock())
    service = OrderService(gateway, mailer)

    assert await service.checkout("ada", 30) == "r-100"

    gateway.charge.assert_awaited_once_with("ada", 30)
    mailer.send.assert_has_awaits([mock.call("ada", mock.ANY)])


@pytest.mark.asyncio
async def test_checkout_does_not_mail_when_the_charge_fails(gateway):
    gateway.charge.side_effect = ConnectionError("gateway down")
    mailer = mock.Mock()
    service = OrderService(gateway, mailer)

    with mock.patch.object(service, "mailer") as patched_mailer:
        with pytest.raises(ConnectionError):
            await service.checkout("ada", 30)

    patched_mailer.send.assert_not_called()
