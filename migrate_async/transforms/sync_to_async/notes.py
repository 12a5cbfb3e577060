"""What sync-to-async tells the user about each planned function, once the module is settled.

A helper's loop runs, a function held back with the one that keeps a loop of its own, one
that needs the loop object but gets no ``event_loop`` of the project's own, and whatever keeps
a function sync (its blockers; its conditional ones where nothing else blocks it).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import libcst as cst

from ...imports.resolve import ImportMap
from ...pytest_model.event_loop import FIXTURE_NAME
from ...pytest_model.versions import NO_EVENT_LOOP_FIXTURE, Version
from .analysis import is_get_event_loop
from .plan import FunctionPlan


def plan_notes(
    func: cst.FunctionDef,
    plan: FunctionPlan,
    plans: Mapping[cst.FunctionDef, FunctionPlan],
    imports: ImportMap,
    target: Version,
) -> Iterator[tuple[cst.CSTNode, str, str, bool]]:
    """The notes on ``func`` (a node of the input tree, the message, its kind and whether
    it is left unfinished, as on ``Note``), in order; ``plans``: every plan of the module (a
    helper's callers); ``target``: the pytest-asyncio release written for."""
    name = func.name.value
    if plan.role == "helper":
        callers = [p for p in plans.values() if name in p.helper_calls]
        for call in plan.helper_runs:
            assert isinstance(call.func, cst.Attribute)
            if callers and all(p.state == "own" for p in callers) and not is_get_event_loop(call.func.value, imports):
                continue  # it runs the loop its callers hand it: the project's own event_loop they request
            if name.startswith("pytest_"):  # a hook: pytest calls it, and never awaits
                yield call, (
                    f"the pytest hook {name} drives the event loop with run_until_complete() and stays sync; "
                    "a hook cannot be a coroutine: give what it runs a loop of its own with asyncio.run()"), "hook-runs-loop", False
                continue
            yield call, (
                f"helper {name} drives the event loop with run_until_complete() and stays sync; "
                f"make {name} a coroutine and await it from async tests (or give it a loop of its own "
                "with asyncio.run() if sync code must call it)"), "helper-runs-loop", False
        return
    if plan.state == "alias" or plan.kept or (plan.on_running_loop and plan.state in ("convert", "alias")):
        # it hands out (or on) the running loop now, to async code only, or it runs on the
        # project's own event_loop already: nothing to do by hand
        return
    if plan.runner_fixture is not None and plan.drivers and not plan.blockers and not plan.conditional:
        yield func, runner_note(name, plan), "runner-from-fixture-params", False
        return
    if plan.wider_than_tests is not None and plan.state != "convert":
        scope = f"{plan.cache_scope}-scoped" if plan.cache_scope is not None else "not function-scoped"
        yield func, (
            f"{name} hands the loop object to async tests and fixtures only, so it belongs on the running "
            f"loop, but it is {scope} while its tests run on a {plan.wider_than_tests}-scoped loop: as an "
            "async fixture it would live on another loop than theirs; left as it is: give the tests a loop "
            f"as wide as {name} (loop_scope=) or make {name} function-scoped, then make it async by hand "
            "(asyncio.get_running_loop() where it needs the loop object)"), "loop-fixture-wider-than-tests", False
        return
    if plan.driven_for_async and plan.drives_loop is not None:
        callee, where = plan.drives_loop
        yield func, (
            f"{name} hands the loop to async tests and fixtures only, so it belongs on the running loop, "
            f"but {callee} ({where}) runs the loop it is given (run_until_complete), which raises 'This event "
            f"loop is already running' on the running loop; left as it is: make what {callee} runs a coroutine "
            f"that {name} awaits as an async fixture (asyncio.get_running_loop() where it needs the loop object)"
        ), "loop-handed-to-loop-runner", target >= NO_EVENT_LOOP_FIXTURE
        return
    if plan.on_own_loops:
        yield func, (
            f"{name} ran on the event_loop of the tests that request it, and some of them had an event_loop "
            "override of their module or class (another loop than the others'): as an async fixture it could "
            f"not run on each one's loop; left as it is: give {name} and its tests one loop scope "
            "(loop_scope=) and make it async by hand (await what it ran; asyncio.get_running_loop() where "
            "it needs the loop object)"), "consumers-on-other-loops", True
        return
    if plan.mixed_consumers and plan.state == "own":
        yield func, (
            f"{name} hands the loop object to sync and to async tests or fixtures: the sync ones keep it "
            "on an event_loop of the project's own, but the async ones run on pytest-asyncio's loop, another "
            f"loop than the one {name} built on; left as it is: split it, a sync fixture for the sync "
            "consumers and an async one (asyncio.get_running_loop()) for the async ones"
        ), "loop-for-sync-and-async", True
        return
    if plan.state == "own" and not plan.loop_vars:
        # it runs on an event_loop of the project's own, a new loop current while it lives, as
        # pytest-asyncio 0.21's fixture was: nothing to do by hand
        return
    if plan.meets:
        yield func, (
            f"{name} needs the event loop object and stays sync, but it requests "
            f"{', '.join(plan.meets)}, which run(s) on pytest-asyncio's loop after the migration: sync code "
            f"cannot drive that on a loop of its own; left as it is: make {name} async by hand "
            "(asyncio.get_running_loop() where it needs the loop object)"), "stays-sync-requests-async-fixtures", False
        return
    yield from ((at, message, kind, False) for at, message, kind in plan.blockers)
    if not plan.blockers and plan.candidate:
        yield from ((at, message, kind, False) for at, message, kind in plan.conditional)
    if plan.state == "leave" and plan.held_by is not None and not plan.blockers and not plan.conditional:
        yield func, (
            f"{name} could become async, but it shares its loop with {plan.held_by}, which needs the "
            f"loop object and stays sync: left as it is; make {plan.held_by} and {name} async together "
            "by hand (asyncio.get_running_loop() where the loop object is needed)"), "held-back-with-sync-user", False
    elif plan.state == "leave" and plan.why is not None and not plan.blockers:
        # it needs the loop object (no blocker says so), but gets no loop of its own
        where = plan.why
        yield func, (
            f"{name} needs the event loop object and stays sync, requesting event_loop, which pytest-asyncio "
            f"1.x no longer provides; no event_loop of the project's own is added ({where}): define one "
            "(a new loop, set as current, yielded, closed) or make it async by hand "
            "(asyncio.get_running_loop() where it needs the loop object)"), "stays-sync-requests-event-loop", True


def runner_note(name: str, plan: FunctionPlan) -> str:
    """Why a function that could become async stays sync: a fixture it uses decides its
    runner by its parameters (FunctionPlan.runner_fixture), and what to do by hand."""
    assert plan.runner_fixture is not None
    fixture, where = plan.runner_fixture
    why = (
        f"{name} runs coroutines with run_until_complete() but is not made async: the fixture {fixture} "
        f"({where}), which it uses, has params carrying a runner's mark (asyncio, trio or anyio), so each "
        "parameter decides which plugin runs it as an async test; marked @pytest.mark.asyncio it would run "
        "under two runners or the wrong one"
    )
    if plan.state == "own":
        return (f"{why}. It stays sync, on an event_loop fixture of the project's own; to make it async, "
                "rewrite it by hand for the runner each parameter names, with no asyncio mark of its own")
    if plan.loop_param == FIXTURE_NAME:
        return (f"{why}. Left as it is, still requesting event_loop, which pytest-asyncio 1.x no longer "
                "provides: define an event_loop fixture of the project's own (a new loop, yielded, then closed), "
                "or rewrite it as async by hand for the runner each parameter names, with no asyncio mark of its own")
    return (f"{why}. Left as it is; to make it async, rewrite it by hand for the runner each parameter names, "
            "with no asyncio mark of its own")
