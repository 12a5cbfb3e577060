from asyncio import sleep

import pytest as pt

TAX_RATES = {"DE": 0.19, "FR": 0.20}


async def quote(net, country):
    await sleep(0)
    return round(net * (1 + TAX_RATES[country]), 2)


@pt.fixture(params=["DE", "FR"])
def country(request):
    return request.param


@pt.mark.asyncio
@pt.mark.parametrize("net", [10.0, 99.99])
async def test_gross_price_includes_tax(net, country):
    gross = await quote(net, country)
    assert gross > net


@pt.mark.asyncio
async def test_unknown_country_is_rejected():
    with pt.raises(KeyError):
        await quote(10.0, "XX")
