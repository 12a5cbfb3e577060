"""event-loop-fixture: the surveys of the conftest.py files above a file, read together.

pytest-asyncio asks a conftest.py's ``pytest_asyncio_loop_factories`` hook nearest to the
test first; a conftest.py's ``event_loop`` or ``event_loop_policy`` override gave the tests
below its folder their loop type the same way. What an override means, and the names its
setup fixture may take, depend on the conftest.py files above it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ...pytest_model.event_loop import LOOP_FACTORIES_HOOK_NAME
from ...pytest_model.versions import LOOP_FACTORIES_HOOK
from .naming import pick_name
from .survey import LoopOverrideSurvey


def _loop_type(survey: LoopOverrideSurvey) -> str | None:
    """The loop type a conftest.py gives the tests below it through a module-level
    ``event_loop`` override or an ``event_loop_policy`` override: ``"asyncio"`` for
    asyncio's own loop, another name (``uvloop.new_event_loop``, ``"custom"``) for any other
    (an override left unread counts as another), None when it has neither. A hook of its
    own (``pytest_asyncio_loop_factories``) decides whatever its overrides say."""
    if LOOP_FACTORIES_HOOK_NAME in survey.names:
        return LOOP_FACTORIES_HOOK_NAME
    override = next((o for o in survey.overrides if o.class_name is None), None)
    if override is not None and override.kind != "asyncio":
        return override.factory or override.kind
    policy = next(iter(survey.policies), None)
    if policy is not None and policy.kind != "default":
        return policy.factory or policy.kind
    return "asyncio" if override is not None or policy is not None else None


def resolve_chain(chain: Sequence[LoopOverrideSurvey], target: tuple[int, ...]) -> list[LoopOverrideSurvey]:
    """``chain`` (the conftest.py files above a file, outermost first, then the file) with
    what each conftest's override means given the ones above it. A conftest whose override
    gave its subtree asyncio's own loop (``asyncio.new_event_loop()``,
    ``asyncio.DefaultEventLoopPolicy()``) under a conftest that gives another loop type
    (uvloop, a loop class) opted its tests out of that type: removed alone, its tests would
    run on the loop of the hook above. pytest-asyncio calls ``pytest_asyncio_loop_factories``
    first in the conftest nearest to the test (``firstresult``: its answer wins), so for
    targets >= 1.4 the override becomes a hook of its own giving asyncio's loop
    (``default_hook``); below 1.4 it is left, with the reason. The same override in a test
    module is carried (its loop scope), with a note (``under``): a hook lives only in a
    conftest.py, and it serves every module of its folder."""
    resolved = []
    above: str | None = None
    for survey in chain:
        if survey.is_conftest:
            if above not in (None, "asyncio") and LOOP_FACTORIES_HOOK_NAME not in survey.names:
                survey = _keeps_asyncio_loop(survey, above, target)
            above = _loop_type(survey) or above
        elif above not in (None, "asyncio"):
            survey = replace(survey, overrides=tuple(
                replace(o, under=above) if o.kind == "asyncio" and o.action != "leave" else o for o in survey.overrides
            ))
        resolved.append(survey)
    return resolved


def _keeps_asyncio_loop(survey: LoopOverrideSurvey, above: str, target: tuple[int, ...]) -> LoopOverrideSurvey:
    overrides = []
    for o in survey.overrides:
        if o.class_name is None and o.kind == "asyncio" and o.action != "leave":
            if target >= LOOP_FACTORIES_HOOK:
                o = replace(o, default_hook=True)
            else:
                o = replace(o, action="leave", reason=(
                    f"it gave the tests below this folder asyncio's own loop, under a conftest above whose "
                    f"loop type ({above}) would reach them without it; below pytest-asyncio 1.4 keep that with "
                    "an event_loop_policy fixture here returning asyncio.DefaultEventLoopPolicy() (from 1.4, a "
                    "pytest_asyncio_loop_factories hook here returning {\"asyncio\": asyncio.new_event_loop})"
                ))
        overrides.append(o)
    # an event_loop override of the same conftest made the tests' loop (0.23 took it over the
    # policy): its hook, or its own asyncio hook, answers; a second hook would be one too many
    decided = any(o.class_name is None and o.action != "leave" for o in overrides)
    policies = tuple(
        replace(p, default_hook=True) if p.kind == "default" and p.action == "carry" and not decided else p
        for p in survey.policies
    )
    return replace(survey, overrides=tuple(overrides), policies=policies)


def setup_fixture_names(chain: Sequence[LoopOverrideSurvey]) -> dict[str | None, str]:
    """The names of the setup fixtures of the last file of ``chain`` (the conftest.py files
    above it, then it), by class (None: module level). Each override, outermost file first
    and in source order, gets its first name not taken by a name of its file or of a file
    above, nor by a setup fixture named before it, which it would shadow."""
    taken: set[str] = set()
    names: dict[str | None, str] = {}
    for survey in chain:
        taken |= survey.names
        names = {}
        for override in survey.overrides:
            if override.setup_names and override.action != "leave":
                names[override.class_name] = name = pick_name(override.setup_names, taken)
                taken.add(name)
    return names


def root_loop_scopes(surveyed: Sequence[LoopOverrideSurvey], target: tuple[int, ...]) -> dict[str, str]:
    """The default loop scopes a root conftest's widening override becomes (see
    hooks.py, ``_conftest_hooks``; Transform.planned_settings): every file below it runs
    under them, so a fixture or test there that ran on that loop needs no ``loop_scope=``
    of its own."""
    root = next((s for s in resolve_chain(surveyed, target) if s.is_conftest and s.is_root), None)
    override = next((o for o in root.overrides if o.class_name is None), None) if root is not None else None
    if override is None or not override.widens or override.scope is None:
        return {}
    # below 0.26 a collection hook gives the tests that loop scope instead of the option
    # (an explicit loop_scope= wins there, as over the option)
    return {"asyncio_default_fixture_loop_scope": override.scope, "asyncio_default_test_loop_scope": override.scope}
