import asyncio


def test_sync_test_runs_its_own_coroutine():
    async def handshake():
        loop = asyncio.get_running_loop()
        greeting = loop.create_future()
        loop.call_soon(greeting.set_result, "HELLO")
        return await greeting

    assert asyncio.run(handshake()) == "HELLO"


def test_coroutine_methods_of_a_local_class():
    class Probe:
        async def ping(self):
            return asyncio.get_running_loop().is_running()

    assert asyncio.run(Probe().ping()) is True
