"""event-loop-argument, the cheap side: whether a file certainly needs nothing, read from
its ``ast`` (transforms/glance.py), so that it is not parsed with LibCST at all."""

from __future__ import annotations

from ...project import FileFacts
from ...pytest_model.event_loop import FIXTURE_NAME
from ..glance import Glance


def idle(glance: Glance, facts: FileFacts) -> bool:
    """Nothing to do where no call passes ``loop=`` and none of the loop fixture names
    (``event_loop``, the plugin loops the project loads) is a parameter of a function, a
    string (``usefixtures``, ``pytestmark``, ``getfixturevalue``) or bound by an import:
    every edit and note of the transform starts at one of those."""
    if "loop" in glance.keywords:
        return False
    names = {FIXTURE_NAME, *facts.project.plugin_loops}
    if not names.isdisjoint(glance.strings) or not names.isdisjoint(glance.bindings):
        return False
    for found in glance.functions:
        args = found.node.args
        if any(a.arg in names for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)):
            return False
    return True
