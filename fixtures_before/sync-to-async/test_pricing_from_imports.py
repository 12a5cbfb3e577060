from asyncio import get_event_loop, sleep

import pytest as pt

TAX_RATES = {"DE": 0.19, "FR": 0.20}


async def quote(net, country):
    await sleep(0)
    return round(net * (1 + TAX_RATES[country]), 2)


@pt.fixture(params=["DE", "FR"])
def country(request):
    return request.param


@pt.mark.parametrize("net", [10.0, 99.99])
def test_gross_price_includes_tax(net, country):
    loop = get_event_loop()
    gross = loop.run_until_complete(quote(net, country))
    assert gross > net


def test_unknown_country_is_rejected():
    with pt.raises(KeyError):
        get_event_loop().run_until_complete(quote(10.0, "XX"))
