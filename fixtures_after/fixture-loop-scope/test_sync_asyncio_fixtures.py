"""Sync fixtures declared with pytest_asyncio.fixture still run in an event loop (#1175)."""
import asyncio
from dataclasses import dataclass

import pytest
import pytest_asyncio


@dataclass(frozen=True)
class Settings:
    currency: str
    vat_rate: float


@pytest_asyncio.fixture(scope="session", loop_scope="session")
def settings() -> Settings:
    return Settings(currency="EUR", vat_rate=0.2)


@pytest_asyncio.fixture(
    scope="module", loop_scope="module", params=["EUR", "GBP"], ids=["euro", "pound"]
)
def currency(request) -> str:
    return request.param


def gross(net: float, settings: Settings) -> float:
    return round(net * (1 + settings.vat_rate), 2)


@pytest.mark.asyncio
async def test_gross_price(settings):
    await asyncio.sleep(0)
    assert gross(10.0, settings) == 12.0


@pytest.mark.asyncio
async def test_currency_is_supported(currency, settings):
    assert currency in {"EUR", "GBP", settings.currency}
