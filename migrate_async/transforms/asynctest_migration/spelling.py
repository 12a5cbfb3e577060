"""How asynctest's names are written in the standard library's spelling: references to its mocks
and re-exported unittest names, and ``self.loop`` in a converted TestCase."""

from __future__ import annotations

import libcst as cst

from ...cstkit.names import head_name, name_to_expr
from .loops_left import KIND as LOOP_LEFT
from .loops_left import binds_loop, loop_left
from .names import (
    MOCK_MODULES,
    MOCK_NAMES,
    MODULES,
    TESTCASE_FULL,
    UNITTEST_NAMES,
    UNKNOWN_MESSAGES,
    WHY,
    self_attribute,
)


class NameRewrites:
    """The name rewrites of the asynctest transform (a mixin of :class:`Asynctest`)."""

    # -- names ---------------------------------------------------------------------------
    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        if original_node in self._not_refs:
            return updated_node
        return self._reference(original_node, updated_node)

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.BaseExpression:
        if self_attribute(original_node, "loop"):
            return self._self_loop(original_node, updated_node)
        if original_node.attr.value == "awaited" and self._coroutine_mock_seen:
            self.note(
                original_node,
                "CoroutineMock.awaited (an asyncio.Condition) does not exist on AsyncMock: use "
                "assert_awaited*() / await_count, or an asyncio.Event set by a side_effect",
                kind="coroutine-mock-awaited",
            )
        return self._reference(original_node, updated_node)

    def _reference(self, original: cst.Name | cst.Attribute, updated: cst.BaseExpression) -> cst.BaseExpression:
        full = self.imports.qualify(original)
        if full is None or not (full == "asynctest" or full.startswith("asynctest.")):
            return updated
        head = head_name(original)
        assert head is not None
        if head in self._fallback_names:
            return updated  # bound in an old-Python block too: whichever the Python running picks
        if full in MODULES:
            if original not in self._heads:
                self._kept.add(head)  # the module used as a value
            return updated
        parent, _, member = full.rpartition(".")
        if parent not in MODULES:
            return updated  # an attribute of an asynctest object (patch.object): done below it
        if original in self._silent:
            return updated
        if original in self._blocked:
            self._kept.add(head)
            return updated
        if parent in MOCK_MODULES and member in MOCK_NAMES:
            if member == "CoroutineMock":
                self._coroutine_mock_seen = True
            self.count_edit()
            return self._mock_expr(original, MOCK_NAMES[member])
        if full in TESTCASE_FULL:
            if original in self._allowed_bases:
                self.count_edit()
                return self._unittest_expr("IsolatedAsyncioTestCase")
            self.note(
                original,
                "asynctest.TestCase used other than as a base class: replace it with "
                f"unittest.IsolatedAsyncioTestCase by hand ({WHY})",
                kind="test-case-not-a-base",
            )
            self._kept.add(head)
            return updated
        if parent == "asynctest" and member in UNITTEST_NAMES:
            self.count_edit()
            return self._unittest_expr(member)
        message = UNKNOWN_MESSAGES.get(member, f"{full} has no standard equivalent: rewrite it by hand")
        self.note(original, f"{message} ({WHY})", kind="no-standard-equivalent")
        self._kept.add(head)
        return updated

    def _mock_expr(self, original: cst.Name | cst.Attribute, name: str) -> cst.BaseExpression:
        if self._mock_module is not None:
            return name_to_expr(f"{self._mock_module}.{name}")
        if isinstance(original, cst.Name):
            # from-imported: from-import it from unittest.mock under the same local name
            imported = self.imports.names[original.value].rsplit(".", 1)[-1]
            local = original.value
            if local == imported:
                self.add_needed_import("unittest.mock", name)
                return cst.Name(name)
            self.add_needed_import("unittest.mock", name, asname=local)
            return cst.Name(local)
        if self._mock_fallback == "mock":
            self.add_needed_import("unittest", "mock")
        else:
            self.add_needed_import("unittest.mock")
        return name_to_expr(f"{self._mock_fallback}.{name}")

    def _unittest_expr(self, name: str) -> cst.BaseExpression:
        return self.spell(f"unittest.{name}", self.imports)

    # -- self.loop -----------------------------------------------------------------------
    def _self_loop(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.BaseExpression:
        method, direct = self._method_frame()
        if method is None:
            return updated_node
        if original_node in self._assign_targets:
            self.note(original_node, "IsolatedAsyncioTestCase has no self.loop to set; rewrite this by hand",
                      kind="self-loop-assigned")
            return updated_node
        if direct and method.is_coroutine:
            self.count_edit()
            return cst.Call(func=self.spell("asyncio.get_running_loop", self.imports))
        where = "a sync method" if direct else "a nested function"
        found = self.scope.current_method()
        cls = found[0].node if found is not None else None
        # certain to fail where nothing else can give the class a loop (loops_left.py)
        certain = isinstance(cls, cst.ClassDef) and len(cls.bases) == 1 and not cls.keywords and not binds_loop(cls)
        self.note(original_node, loop_left(where), kind=LOOP_LEFT, left=certain)
        return updated_node
