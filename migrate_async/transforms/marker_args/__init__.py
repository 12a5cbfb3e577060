"""marker-args: repair the arguments and the placement of ``pytest.mark.asyncio`` (transform.py),
and say cheaply where there is nothing to repair (idle.py)."""

from .transform import MarkerArgs

__all__ = ["MarkerArgs"]
