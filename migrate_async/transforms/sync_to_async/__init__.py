"""sync-to-async: sync tests and fixtures that drive coroutines with ``run_until_complete`` → ``async def`` + ``await``.

A sync test or fixture that drives coroutines on the ``event_loop`` fixture
(``event_loop.run_until_complete(x)``, ``asyncio.get_event_loop().run_until_complete(x)``)
becomes ``async def`` with ``await x``, on the loop it ran on before; what cannot be converted
(the loop handed to sync code, stopped, or run forever) is reported.

The phases: ``survey`` (what conftest.py files and test modules say about the loop),
``analysis`` (one function's body), ``plan`` and ``planner`` (what converting each function
takes, settled across the module), ``notes``, ``finalizers`` (``addfinalizer`` → ``yield``),
``nodes`` and ``transform`` (the rewrite).
"""

from __future__ import annotations

from .analysis import BodyAnalysis
from .plan import FunctionPlan
from .survey import ConftestLoops, SyncLoopRequests
from .transform import SyncToAsync

__all__ = ["BodyAnalysis", "ConftestLoops", "FunctionPlan", "SyncLoopRequests", "SyncToAsync"]
