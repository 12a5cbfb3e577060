"""migrate-async: upgrade async pytest suites to pytest-asyncio 1.x."""

__version__ = "0.1.0"
