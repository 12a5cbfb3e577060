"""event-loop-fixture: remove ``event_loop`` fixture overrides and carry their meaning over.

What:
    Finds every user-defined ``event_loop`` fixture (``pytest.fixture`` or
    ``pytest_asyncio.fixture``, generator or return form, any ``scope``) in a survey pass:
    in the root conftest.py (the one next to the pytest configuration, or one whose folder
    holds every test module of the project, like ``tests/conftest.py`` when all tests are in
    ``tests/``), a nested conftest.py, a test module or a test class. It removes the override and moves what it meant to the
    pytest-asyncio 1.x forms (an override that gets its loop from a helper of the project,
    ``loop = get_event_loop()`` imported from ``tests/utils.py``, counts as making it when the
    survey, following the call to the helper's definition, finds that the helper only
    returns the current or a new asyncio loop; an override a test module imports from a
    module of the project, ``from tests.helpers import event_loop``, counts as the module's
    own: the name goes from the import, its loop class reaches the hook through an import
    in the conftest.py, and an override that does more than make its loop is left, with
    the reason):

    - its scope S becomes a loop scope. Root conftest: ``asyncio_default_test_loop_scope = S``
      and ``asyncio_default_fixture_loop_scope = S`` in the pytest configuration (target
      ≥ 0.26; for 0.24–0.25 the fixture option plus a ``pytest_collection_modifyitems`` hook
      that marks the tests). Nested conftest: that hook, limited to the conftest's folder
      (written for any Python pytest runs on), and
      ``loop_scope=S`` on the async fixtures of that subtree (when a loop-factories hook is
      involved, ``pytestmark`` in each module of the subtree instead: pytest-asyncio 1.5
      settles a test's loop before the collection hook could mark it). Test module:
      ``pytestmark = pytest.mark.asyncio(loop_scope=S)`` (merged into an existing
      ``pytestmark``). Test class: ``@pytest.mark.asyncio(loop_scope=S)`` on the class. A
      ``@pytest.mark.asyncio`` of no arguments under that module or class mark goes (the
      closest mark wins, so it would undo the scope), another bare one gets the same
      ``loop_scope``, and async fixtures get ``loop_scope=S`` (plain
      ``@pytest.fixture`` coroutines become ``@pytest_asyncio.fixture``, the only decorator
      that takes ``loop_scope``). A module or class that also holds sync tests gets the
      loop scope on each async test's mark instead of a module/class mark. A module or
      class override of function scope does the same with ``loop_scope="function"`` where
      the default loop scopes are wider (configured, or set by this run for a root
      conftest's session override): its tests and fixtures had a fresh loop each.
    - its loop type: ``uvloop.new_event_loop()``, ``uvloop.EventLoopPolicy`` or a custom loop
      class becomes a ``pytest_asyncio_loop_factories`` hook in the same conftest (target
      ≥ 1.4; an ``event_loop_policy`` fixture for uvloop on older targets).
      ``loop.set_debug(True)`` in the root conftest becomes ``asyncio_debug = true`` (≥ 1.2).
      A loop class defined inside a conftest's override moves to module level when the
      only name it takes from the fixture is the variable bound to the instance, read in
      its methods (rewritten to ``self``); otherwise, and in a test module or class, a note
      names the class, the hook to write and where (nested.py). A note on an override left
      with a loop type says to delete it only once the hook is written: deleted alone, its
      tests run on a default loop. A function-scoped module-level override that wraps its
      ``yield loop`` in a context manager of the loop (``with loop.record(): yield loop``)
      gets an async autouse fixture that enters it on ``asyncio.get_running_loop()``
      (``_record``), beside the hook: for async tests only (sync tests never ran in the
      override and do not run on the hook's loop), with ``loop_scope="function"`` where the
      configured default fixture loop scope is wider.
    - an ``event_loop_policy`` override (the 0.23–1.3 way to pick uvloop or a loop class;
      overriding it warns from 1.4) becomes that hook for targets ≥ 1.4, in its conftest.py:
      ``uvloop.EventLoopPolicy()`` gives uvloop's factory, a policy class of the conftest
      whose ``new_event_loop`` returns ``MyLoop()`` gives ``MyLoop`` (the class goes when
      nothing else names it), asyncio's default policy gives nothing (policy.py).
    - asyncio's own loop (``asyncio.new_event_loop()``, ``asyncio.DefaultEventLoopPolicy()``)
      in a nested conftest.py under one that gives another loop type opted its subtree out
      of it: for targets ≥ 1.4 it becomes a hook of its own returning ``{"asyncio":
      asyncio.new_event_loop}`` (pytest-asyncio asks the nearest conftest's hook first and
      its answer wins); below 1.4 the override is left, with the policy fixture to write.
    - setup and teardown that do not touch the loop (environment, mock servers, temp data)
      stay, as an autouse fixture of the same scope named for what the setup (up to its
      ``yield``) sets up, when one thing stands out: the attribute it assigns
      (``self.client = ...``: ``setup_client``), the module global or module-level name it
      assigns or patches (``global DATABASE``: ``setup_database``; ``settings.DEBUG = True``:
      ``setup_settings``), the environment variables it sets (``setup_<their common
      prefix>_env``, else ``setup_env``), or the helper it calls (``reset_registry()``:
      ``_reset_registry``). Otherwise, or when that name is taken, the scope's
      ``per_test_setup``, ``module_setup``, ``class_setup``, ``package_setup`` or
      ``session_setup`` (then ``_2``, ``_3``...). Taken: a name the module binds at its top
      level or in a top-level class, one of a conftest.py above that the survey read (their
      setup fixtures too), pytest's ``setup_module``-style names. The note at the override
      says which fixture its setup went to.

Why:
    pytest-asyncio 1.0 removed the ``event_loop`` fixture. A user-defined override is now
    an ordinary fixture that nothing requests: no warning, the loop it built is never used,
    and async tests and fixtures run in pytest-asyncio's own function-scoped loops. Suites
    that shared a session loop fail with "attached to a different loop" or, worse, pass
    while testing something else (a uvloop suite silently runs on the default loop).

Safety:
    Only fixtures named ``event_loop`` (or registered with ``name="event_loop"``) declared
    with ``pytest.fixture``/``pytest_asyncio.fixture`` at module or class level are touched;
    variables, parameters, helpers and nested functions of that name are not. A test module
    with no coroutine and no asyncio mark keeps its ``event_loop`` fixture (sync tests use it
    as a plain fixture), and so do anyio/trio modules. Left in place and reported: a scope
    that is not a literal, an override whose body does more with the loop (exception
    handler, ``run_until_complete``, attributes), a custom loop type in a test module or
    class (the factory hook must live in a conftest.py), a conftest that already defines the
    hook this would add. An override that sync code of the same file requests is kept (sync
    code may still use it) and reported. ``event_loop`` *parameters* are left to
    ``event-loop-argument`` and ``sync-to-async``; sync ones below a removed override are
    reported.
"""

from __future__ import annotations

from .survey import LoopOverrideSurvey, Override, survey_source
from .transform import EventLoopFixture

__all__ = ["EventLoopFixture", "LoopOverrideSurvey", "Override", "survey_source"]
