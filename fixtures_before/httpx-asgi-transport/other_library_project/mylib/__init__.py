"""The team's own RPC client library (not httpx)."""


class AsyncClient:
    def __init__(self, *, app, base_url="rpc://local"):
        self.app = app
        self.base_url = base_url

    async def call(self, method, **params):
        return await self.app(method, params)

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_info):
        return None
