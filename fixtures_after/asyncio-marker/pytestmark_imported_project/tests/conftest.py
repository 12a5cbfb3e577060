import pytest

# every test module imports this: pytest reads an imported pytestmark as the module's own
pytestmark = pytest.mark.asyncio
