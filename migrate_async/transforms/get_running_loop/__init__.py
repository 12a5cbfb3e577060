"""get-running-loop: the rewrite and its notes (transform.py), and the glances that say cheaply
where there is nothing to do (idle.py)."""

from .transform import GetRunningLoop

__all__ = ["GetRunningLoop"]
