"""What migrate-async knows of LibCST's codemod machinery, in one place.

The transforms have the interface of LibCST codemod commands without subclassing them
(importing ``libcst.codemod`` costs half a second of start-up): they schedule import edits
under the scratch keys LibCST's own import visitors read, and hand those visitors what the
fast paths in ``imports/edits.py`` leave.
"""

from __future__ import annotations

import dataclasses
from typing import Any, NamedTuple

import libcst as cst
from libcst.metadata import MetadataWrapper

# The scratch keys under which LibCST's AddImportsVisitor and RemoveImportsVisitor keep
# scheduled import edits (their CONTEXT_KEY): transforms schedule under the same keys.
ADD_IMPORTS = "AddImportsVisitor"
REMOVE_IMPORTS = "RemoveImportsVisitor"


class ImportRequest(NamedTuple):
    """An import to add (the fields of LibCST's ``ImportItem``)."""

    module_name: str
    obj_name: str | None = None
    alias: str | None = None
    relative: int = 0


def with_wrapper(context: Any, wrapper: MetadataWrapper | None) -> Any:
    """The codemod context with another metadata wrapper (contexts are frozen dataclasses)."""
    return dataclasses.replace(context, wrapper=wrapper)


def run_import_visitor(which: str, context: Any, tree: cst.Module) -> cst.Module:
    """Run LibCST's AddImportsVisitor ("add") or RemoveImportsVisitor ("remove") on what is
    scheduled, without the deep copy ``transform_module`` makes. Imported here: the fast
    paths handle what the transforms schedule, and importing these costs half a second of
    start-up (libcst.matchers)."""
    from libcst.codemod.visitors import (
        AddImportsVisitor,
        ImportItem,
        RemoveImportsVisitor,
    )

    helper_cls: type
    if which == "add":
        helper_cls = AddImportsVisitor
        requests = context.scratch.get(ADD_IMPORTS, [])
        context.scratch[ADD_IMPORTS] = [
            ImportItem(r.module_name, r.obj_name, r.alias, r.relative) if isinstance(r, ImportRequest) else r
            for r in requests
        ]
    else:
        helper_cls = RemoveImportsVisitor
    helper = helper_cls(context)
    wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
    with helper.resolve(wrapper):
        helper.context = with_wrapper(context, wrapper)
        return helper.transform_module_impl(wrapper.module)
