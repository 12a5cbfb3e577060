"""event-loop-fixture: the survey's decisions that the golden pairs do not show."""

from __future__ import annotations

import textwrap

import pytest

from migrate_async.project import FileFacts, ProjectFacts
from migrate_async.transforms.event_loop_fixture import EventLoopFixture, survey_source
from migrate_async.transforms.event_loop_fixture.chain import setup_fixture_names


def _survey(code: str, path: str = "tests/test_mod.py", target=(1, 5)):
    facts = FileFacts(project=ProjectFacts(target=target), path=path)
    return survey_source(textwrap.dedent(code), facts)


OVERRIDE = """
    import asyncio
    import pytest

    @pytest.fixture(scope={scope})
    def event_loop():
        loop = {make}
        yield loop
        loop.close()

    @pytest.mark.asyncio
    async def test_x():
        pass
"""


def test_dynamic_scope_is_left_with_a_reason() -> None:
    found = _survey(OVERRIDE.format(scope="pick_scope()", make="asyncio.new_event_loop()"))
    assert found is not None
    (override,) = found.overrides
    assert override.action == "leave" and "not a string literal" in override.reason


def test_loop_kinds() -> None:
    uv = _survey("import uvloop\n" + textwrap.dedent(OVERRIDE.format(scope='"session"', make="uvloop.new_event_loop()")),
                 path="conftest.py")
    assert uv is not None and uv.overrides[0].kind == "uvloop" and uv.overrides[0].action == "carry"
    policy = _survey(OVERRIDE.format(scope='"module"', make="asyncio.get_event_loop_policy().new_event_loop()"))
    assert policy is not None and policy.overrides[0].kind == "asyncio"


def test_custom_loop_below_1_4_is_left() -> None:
    # a real loop class, so that the override is left for the target, not as unrecognised
    code = "import asyncio\n\n\nclass ClockLoop(asyncio.SelectorEventLoop):\n    pass\n" + textwrap.dedent(
        OVERRIDE.format(scope='"function"', make="ClockLoop()")
    )
    found = _survey(code, path="conftest.py", target=(1, 3))
    assert found is not None and found.overrides[0].action == "leave"
    assert "1.4" in found.overrides[0].reason


def test_existing_collection_hook_blocks_a_nested_conftest() -> None:
    code = textwrap.dedent(OVERRIDE.format(scope='"session"', make="asyncio.new_event_loop()"))
    code += "\ndef pytest_collection_modifyitems(items):\n    pass\n"
    found = _survey(code, path="conftest.py", target=(0, 25))  # the hook is needed below 0.26
    assert found is not None and found.overrides[0].action == "leave"


def test_sync_only_module_is_not_surveyed() -> None:
    code = """
        import asyncio
        import pytest

        @pytest.fixture
        def event_loop():
            loop = asyncio.new_event_loop()
            yield loop
            loop.close()

        def test_sync(event_loop):
            assert not event_loop.is_running()
    """
    assert _survey(code) is None


def test_no_survey_no_parse() -> None:
    assert not EventLoopFixture.applies_to(FileFacts())


SETUP_OVERRIDE = """
    import asyncio
    import os
    import pytest
    from app import settings, start_server

    REGISTRY = {{}}

    def reset_registry():
        pass

    def _reset():
        pass

    CACHE = None

    def setup_cache():
        return {{}}

    @pytest.fixture(scope="module")
    def event_loop():
{setup}
        loop = asyncio.new_event_loop()
        yield loop
        loop.close()
        os.environ.clear()

    @pytest.mark.asyncio
    async def test_x():
        pass
"""


def _setup_name(setup: str, path: str = "tests/test_mod.py") -> str:
    code = SETUP_OVERRIDE.format(setup=textwrap.indent(textwrap.dedent(setup), " " * 8))
    found = _survey(code, path=path)
    assert found is not None
    return setup_fixture_names([found])[None]


@pytest.mark.parametrize(
    ("setup", "name"),
    [
        ("global DATABASE\nDATABASE = {}", "setup_database"),
        ("global httpClient\nhttpClient = object()", "setup_http_client"),
        ("settings.DEBUG = True\nsettings.TIMEOUT = 0", "setup_settings"),
        ('REGISTRY["x"] = 1\nREGISTRY.clear()', "setup_registry"),
        ('os.environ["APP_MODE"] = "test"', "setup_app_mode_env"),
        ('os.environ["APP_MODE"] = "test"\nos.environ.setdefault("APP_DSN", "sqlite://")', "setup_app_env"),
        ('os.environ.update({"MODE": "test", "DSN": "sqlite://"})', "setup_env"),
        ("os.environ.update(APP_MODE='test')", "setup_app_mode_env"),
        ("reset_registry()", "_reset_registry"),
        ("_reset()", "reset"),
        ("start_server(port=0)", "_start_server"),
        ('spool = "/tmp/spool"\nos.makedirs(spool)\nREGISTRY["spool"] = spool', "setup_registry"),
        ("if not REGISTRY:\n    reset_registry()", "_reset_registry"),
        # nothing, or more than one thing, stands out
        ('os.makedirs("/tmp/spool")', "module_setup"),
        ("print('setting up')", "module_setup"),
        ("reset_registry()\nsettings.DEBUG = True", "module_setup"),
        ('global MODULE\nMODULE = "x"', "module_setup"),  # setup_module is pytest's
        # taken by the helper that makes it
        ("global CACHE\nCACHE = setup_cache()", "module_setup"),
        ("setup_cache()", "_setup_cache"),
    ],
)
def test_setup_fixture_name(setup: str, name: str) -> None:
    assert _setup_name(setup) == name


def test_setup_fixture_of_a_class_is_named_for_its_attribute() -> None:
    code = """
        import asyncio
        import pytest

        class TestA:
            @pytest.fixture
            def event_loop(self):
                self._client = object()
                self.client_ready = True
                loop = asyncio.new_event_loop()
                yield loop
                loop.close()

            async def test_x(self):
                pass

        class TestB:
            @pytest.fixture
            def event_loop(this):
                this.db.connect()
                loop = asyncio.new_event_loop()
                yield loop
                loop.close()

            def setup_db(self):
                pass

            @pytest.mark.asyncio
            async def test_y(self):
                pass
    """
    found = _survey(code)
    assert found is not None
    # two attributes: no one name; setup_db is a method of TestB
    assert setup_fixture_names([found]) == {"TestA": "per_test_setup", "TestB": "per_test_setup_2"}


def test_setup_fixture_names_do_not_shadow_a_conftest_above() -> None:
    conftest = """
        import asyncio
        import pytest

        @pytest.fixture(scope="session")
        def event_loop():
            print("session")
            loop = asyncio.new_event_loop()
            yield loop
            loop.close()

        @pytest.fixture(name="setup_env")
        def _env_fixture():
            pass
    """
    root = _survey(conftest, path="conftest.py")
    nested = _survey(conftest.replace('"session"', '"package"').replace('print("session")', 'os.environ["X"] = "1"'),
                     path="tests/conftest.py")
    test_module = textwrap.dedent(conftest.replace('"session"', '"module"')) + "\nasync def test_x():\n    pass\n"
    module = _survey(test_module)
    assert root is not None and nested is not None and module is not None
    assert setup_fixture_names([root]) == {None: "session_setup"}
    assert setup_fixture_names([root, nested]) == {None: "package_setup"}  # setup_env: the root's fixture
    assert setup_fixture_names([root, module]) == {None: "module_setup"}
    shadowing = _survey(conftest.replace('"session"', '"function"'), path="tests/conftest.py")
    root_fn = _survey(conftest.replace('"session"', '"function"'), path="conftest.py")
    assert shadowing is not None and root_fn is not None
    assert setup_fixture_names([root_fn, shadowing]) == {None: "per_test_setup_2"}


# -- overrides whose loop comes from a helper of the project (project_helpers.py) -------------------

HELPER_OVERRIDE = """
import asyncio
import pytest
{imports}

@pytest.fixture(scope="module")
def event_loop():
    loop = {call}
    yield loop
    loop.close()

@pytest.mark.asyncio
async def test_x():
    pass
"""

GET_LOOP = '''
import asyncio

def get_event_loop():
    try:
        return asyncio.get_event_loop()
    except RuntimeError:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        return loop
'''


def _helper_project(tmp_path, helper: str, imports: str, call: str, package: bool = True):
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    tests = tmp_path / "tests"
    tests.mkdir()
    if package:
        (tests / "__init__.py").write_text("")
    (tests / "utils.py").write_text(helper)
    module = tests / "test_mod.py"
    module.write_text(HELPER_OVERRIDE.format(imports=imports, call=call))
    from migrate_async.project import ProjectResolver

    facts = ProjectResolver().facts_for_file(module)
    return survey_source(module.read_text(), facts)


@pytest.mark.parametrize(
    ("imports", "call", "package"),
    [
        ("from tests.utils import get_event_loop", "get_event_loop()", True),
        ("from tests.utils import get_event_loop as make", "make()", True),
        ("from .utils import get_event_loop", "get_event_loop()", True),
        ("from tests import utils", "utils.get_event_loop()", True),
        ("import tests.utils as utils", "utils.get_event_loop()", True),
        ("import tests.utils", "tests.utils.get_event_loop()", True),
        ("from utils import get_event_loop", "get_event_loop()", False),  # rootdir-relative
    ],
)
def test_loop_helper_is_followed(tmp_path, imports: str, call: str, package: bool) -> None:
    found = _helper_project(tmp_path, GET_LOOP, imports, call, package)
    assert found is not None
    (override,) = found.overrides
    assert override.action == "carry", override.reason
    assert override.loop_helpers == (call[:-2],)


@pytest.mark.parametrize(
    "helper",
    [
        # the current loop, else a new one bound first and returned after the try
        "import asyncio\n\ndef get_event_loop():\n    try:\n        loop = asyncio.get_event_loop()\n"
        "    except RuntimeError as error:\n        loop = asyncio.new_event_loop()\n"
        "        asyncio.set_event_loop(loop)\n    return loop\n",
        # a new loop set as current, then read back
        "import asyncio\n\ndef get_event_loop():\n    try:\n        return asyncio.get_event_loop()\n"
        "    except RuntimeError:\n        asyncio.set_event_loop(asyncio.new_event_loop())\n"
        "        return asyncio.get_event_loop()\n",
        # a new loop set as current, no fallback
        "import asyncio\n\ndef get_event_loop():\n    loop = asyncio.new_event_loop()\n    asyncio.set_event_loop(loop)\n"
        "    return loop\n",
        # the current loop alone, through the module's own alias of asyncio
        "import asyncio as aio\n\ndef get_event_loop():\n    return aio.get_event_loop()\n",
    ],
    ids=["bound-then-returned", "set-then-read-back", "new-and-current", "current-only"],
)
def test_helpers_giving_asyncios_own_loop_are_followed(tmp_path, helper: str) -> None:
    found = _helper_project(tmp_path, helper, "from tests.utils import get_event_loop", "get_event_loop()")
    assert found is not None
    (override,) = found.overrides
    assert override.action == "carry", override.reason


@pytest.mark.parametrize(
    "helper",
    [
        # it does more than make a loop
        "import asyncio\n\ndef get_event_loop():\n    loop = asyncio.new_event_loop()\n"
        "    loop.set_exception_handler(print)\n    return loop\n",
        # a generator: calling it makes no loop
        "import asyncio\n\ndef get_event_loop():\n    loop = asyncio.new_event_loop()\n    yield loop\n",
        # it needs an argument
        "import asyncio\n\ndef get_event_loop(debug):\n    return asyncio.new_event_loop()\n",
        # it hands out a closed loop
        "import asyncio\n\ndef get_event_loop():\n    loop = asyncio.new_event_loop()\n    loop.close()\n    return loop\n",
        # a loop class of its own, not asyncio's loop (tests may read what it records)
        "import asyncio\n\nclass TrackingLoop(asyncio.SelectorEventLoop):\n    pass\n\n"
        "def get_event_loop():\n    return TrackingLoop()\n",
        # the same, as the fallback of asyncio's current loop
        "import asyncio\n\nclass TrackingLoop(asyncio.SelectorEventLoop):\n    pass\n\n"
        "def get_event_loop():\n    try:\n        return asyncio.get_event_loop()\n    except RuntimeError:\n"
        "        return TrackingLoop()\n",
        # uvloop's loop
        "import uvloop\n\ndef get_event_loop():\n    return uvloop.new_event_loop()\n",
        # it returns something else on one path
        "import asyncio\n\ndef get_event_loop():\n    try:\n        return asyncio.new_event_loop()\n"
        "    except RuntimeError:\n        return None\n",
    ],
)
def test_helper_that_does_more_is_left(tmp_path, helper: str) -> None:
    found = _helper_project(tmp_path, helper, "from tests.utils import get_event_loop", "get_event_loop()")
    assert found is not None
    (override,) = found.overrides
    assert override.action == "leave"
    assert "get_event_loop() (tests/utils.py:" in override.reason


def test_helper_outside_the_project_is_not_followed(tmp_path) -> None:
    found = _helper_project(tmp_path, GET_LOOP, "from loopkit import get_event_loop", "get_event_loop()")
    assert found is not None
    (override,) = found.overrides
    assert override.action == "leave" and "recognises" in override.reason


# -- event_loop_policy overrides (policy.py) ----------------------------------------------------

POLICY = """
import asyncio
import pytest
import uvloop

class ClockLoop(asyncio.SelectorEventLoop):
    pass

{extra}
@pytest.fixture(scope="session"{kwargs})
def event_loop_policy({params}):
    return {value}

@pytest.mark.asyncio
async def test_x():
    pass
"""


def _policy(path="conftest.py", target=(1, 5), extra="", kwargs="", params="", value="uvloop.EventLoopPolicy()"):
    found = _survey(POLICY.format(extra=extra, kwargs=kwargs, params=params, value=value), path=path, target=target)
    return found.policies if found is not None else ()


def test_policy_kinds() -> None:
    (uv,) = _policy()
    assert (uv.kind, uv.factory, uv.action) == ("uvloop", "uvloop.new_event_loop", "carry")
    (default,) = _policy(value="asyncio.DefaultEventLoopPolicy()")
    assert (default.kind, default.factory, default.action) == ("default", None, "carry")
    own = "class ClockPolicy(asyncio.DefaultEventLoopPolicy):\n    def new_event_loop(self):\n        return ClockLoop()\n"
    (custom,) = _policy(extra=own, value="ClockPolicy()")
    assert (custom.kind, custom.factory, custom.action, custom.policy_class) == ("custom", "ClockLoop", "carry", "ClockPolicy")
    # in a test module: a branch of the covering conftest's hook
    (branch,) = _policy(path="tests/test_mod.py")
    assert (branch.kind, branch.action, branch.branch) == ("uvloop", "carry", True)
    assert not uv.branch
    # another name for the policy class keeps it
    (kept,) = _policy(extra=own + "OTHER = ClockPolicy\n", value="ClockPolicy()")
    assert kept.action == "carry" and kept.policy_class is None


@pytest.mark.parametrize(
    ("options", "why"),
    [
        (dict(kwargs=", params=[1, 2]", params="request", value="request.param"), "parametrized"),
        # a policy chosen from a command-line option: not a parametrized fixture
        (dict(params="request", value="uvloop.EventLoopPolicy()"), "requests request: write the"),
        # in a test module the hook's branch reaches the loop class as item.module.X
        (
            dict(
                path="tests/test_mod.py",
                extra="from clocks import TickLoop\n\n\nclass TickPolicy(asyncio.DefaultEventLoopPolicy):\n"
                "    def new_event_loop(self):\n        return TickLoop()\n",
                value="TickPolicy()",
            ),
            "comes from an import",
        ),
        (dict(extra="def pytest_asyncio_loop_factories(config, item):\n    return None\n"), "already defines"),
        (dict(value="make_policy()"), "cannot read"),
        (
            dict(
                extra="class ClockPolicy(asyncio.DefaultEventLoopPolicy):\n    def __init__(self):\n        pass\n\n"
                "    def new_event_loop(self):\n        return ClockLoop()\n",
                value="ClockPolicy()",
            ),
            "does more",
        ),
    ],
)
def test_policy_left_with_a_reason(options, why: str) -> None:
    (policy,) = _policy(**options)
    assert policy.action == "leave" and why in policy.reason


def test_policy_below_1_4_is_the_right_form() -> None:
    assert _policy(target=(1, 3)) == ()


# -- a loop class defined inside the override (nested.py) ---------------------------------------

NESTED = """
import asyncio
import pytest

@pytest.fixture
def event_loop({params}):
{pre}
    class StepLoop(asyncio.SelectorEventLoop):
        def call_soon(self, callback, *args, context=None):
            {read}
            return super().call_soon(callback, *args, context=context)

    loop = StepLoop()
    yield loop
    loop.close()

@pytest.mark.asyncio
async def test_x():
    pass
"""


@pytest.mark.parametrize(
    ("params", "pre", "read", "movable", "instance"),
    [
        ("", "", "loop.steps = 1", True, "loop"),
        ("", "", "self.steps = 1", True, None),
        ("", "", "print(len, asyncio)", True, None),  # builtins and module names stay valid
        ("", "    steps = []", "steps.append(1)", False, None),  # a fixture local
        ("request", "", "request.node", False, None),  # a fixture parameter
        ("", "", "(lambda self: loop)(1)", False, None),  # self means something else there
        ("", "", "pass\n\n        def g(self, other=loop):\n            pass", False, None),  # read at class creation
        # a method's own loop parameter is not the fixture's loop
        ("", "", "pass\n\n        def attach(self, loop=None):\n            return loop", True, None),
        ("", "    steps = []", "pass\n\n        def g(self, steps):\n            return [steps for steps in steps]", True, None),
        # ... but beside a read of the fixture's, a move that rewrites every loop to self would break it
        ("", "", "loop.steps = 1\n\n        def attach(self, loop=None):\n            return loop", False, None),
        ("", "", "loop.steps = 1\n\n        def attach(self):\n            return [loop for loop in ()]", False, None),
        ("", "", "def inner():\n                return loop\n            loop.steps = inner", True, "loop"),
    ],
)
def test_nested_loop_class(params: str, pre: str, read: str, movable: bool, instance: str | None) -> None:
    found = _survey(NESTED.format(params=params, pre=pre, read=read), path="conftest.py")
    assert found is not None
    (override,) = found.overrides
    if movable:
        assert override.action == "carry", override.reason
        assert (override.moved_class, override.moved_instance) == ("StepLoop", instance)
    else:
        assert override.action == "leave" and "StepLoop is defined inside it" in override.reason


def test_nested_loop_class_binding_the_instance_name_says_why() -> None:
    read = "loop.steps = 1\n\n        def attach(self, loop=None):\n            return loop"
    found = _survey(NESTED.format(params="", pre="", read=read), path="conftest.py")
    assert found is not None
    (override,) = found.overrides
    assert "cannot tell the fixture's loop from its own" in override.reason
    assert "reading self where it meant the fixture's loop" in override.reason


MOVING = """
import asyncio
import pytest

{above}
@pytest.fixture
def event_loop():
    class StepLoop({base}):
        def call_soon(self, callback, *args, context=None):
            return super().call_soon(callback, *args, context=context)

        def note(self, limit={default}):
            return SIZES

    loop = StepLoop()
    yield loop
    loop.close()

{below}
SIZES = [1]
"""


@pytest.mark.parametrize(
    ("above", "base", "default", "below", "why"),
    [
        ("", "asyncio.SelectorEventLoop", "1", "", None),  # SIZES: read when a method runs, not when made
        ("class Base(asyncio.SelectorEventLoop):\n    pass\n", "Base", "1", "", None),
        ("", "Base", "1", "class Base(asyncio.SelectorEventLoop):\n    pass\n", "needs Base when it is made"),
        ("", "asyncio.SelectorEventLoop", "len(SIZES)", "", "needs SIZES when it is made"),
        ("class StepLoop:\n    pass\n", "asyncio.SelectorEventLoop", "1", "", "binds at module level"),
        ("", "asyncio.SelectorEventLoop", "1", "def StepLoop():\n    pass\n", "binds at module level"),
    ],
)
def test_nested_loop_class_moves_only_where_module_level_allows(above, base, default, below, why) -> None:
    found = _survey(MOVING.format(above=above, base=base, default=default, below=below), path="conftest.py")
    assert found is not None
    (override,) = found.overrides
    if why is None:
        assert override.action == "carry" and override.moved_class == "StepLoop", override.reason
    else:
        assert override.action == "leave" and override.moved_class is None and why in override.reason


def test_two_nested_loop_classes_get_the_hook_to_write() -> None:
    code = NESTED.format(params="", pre="    class Other(asyncio.SelectorEventLoop):\n        pass\n", read="pass")
    found = _survey(code, path="conftest.py")
    assert found is not None
    (override,) = found.overrides
    assert override.action == "leave" and "2 loop classes (Other, StepLoop)" in override.reason
    assert 'return {"StepLoop": StepLoop}' in override.reason


def test_nested_loop_class_below_1_4_names_the_policy_not_the_hook() -> None:
    found = _survey(NESTED.format(params="request", pre="", read="request.node"), path="conftest.py", target=(1, 3))
    assert found is not None
    (override,) = found.overrides
    assert override.action == "leave" and "move StepLoop to module level" in override.reason
    assert "event_loop_policy fixture" in override.reason and "return {" not in override.reason
    movable = _survey(NESTED.format(params="", pre="", read="loop.steps = 1"), path="conftest.py", target=(1, 3))
    assert movable is not None
    (override,) = movable.overrides
    assert override.action == "leave" and "first move StepLoop, defined inside it, to module level" in override.reason


def test_nested_loop_class_in_a_test_module_moves_and_becomes_a_hook_branch() -> None:
    # from 1.4 the class moves to the module and the covering conftest's hook gets a
    # branch for the module's tests (custom_loop_module_project shows the whole of it)
    found = _survey(NESTED.format(params="", pre="", read="loop.steps = 1"))
    assert found is not None
    (override,) = found.overrides
    assert override.action == "carry" and override.branch and override.moved_class == "StepLoop"
    # below 1.4 there is no hook: the class stays, and the note says what to write
    older = _survey(NESTED.format(params="", pre="", read="loop.steps = 1"), target=(1, 3))
    assert older is not None
    (override,) = older.overrides
    assert override.action == "leave" and not override.branch and "event_loop_policy fixture" in override.reason
    # a loop made from a name the fixture imports itself is not read: left, no branch
    local = _survey(
        "import asyncio\nimport pytest\n\n@pytest.fixture\ndef event_loop():\n"
        "    import qasync\n    loop = qasync.QEventLoop()\n    yield loop\n    loop.close()\n\n"
        "@pytest.mark.asyncio\nasync def test_x():\n    pass\n"
    )
    assert local is not None
    (override,) = local.overrides
    assert override.action == "leave" and not override.branch


def test_instance_becomes_self_only_where_it_is_read() -> None:
    import libcst as cst

    from migrate_async.transforms.event_loop_fixture.nested import moved_class

    code = (
        "class L(Base):\n"
        "    def f(self):\n"
        "        loop.loop(loop=loop.x)\n"
    )
    moved = moved_class(cst.parse_module(code).body, "L", "loop")
    assert moved is not None
    assert cst.Module([moved]).code == (
        "class L(Base):\n"
        "    def f(self):\n"
        "        self.loop(loop=self.x)\n"
    )


# -- per-test wrapping on the loop (``with loop.record(): yield loop``) ----------------------------

WRAP = """
import asyncio
import pytest

class SimLoop(asyncio.SelectorEventLoop):
    pass

{cls}@pytest.fixture(scope="{scope}")
def event_loop({self}):
    loop = SimLoop()
    with {item}:
        yield loop
    loop.close()
"""


@pytest.mark.parametrize(
    ("item", "scope", "in_class", "carried"),
    [
        ("loop.record()", "function", False, True),
        ('loop.record("steps", limit=3)', "function", False, True),
        ("loop.record() as recording", "function", False, False),  # the fixture reads what it gives
        ("loop.record(steps)", "function", False, False),  # a name: not known at module level
        ("recording(loop)", "function", False, False),  # not the loop's own method
        ("loop.record()", "module", False, False),  # a wider wrap needs a matching loop scope
        ("loop.record()", "function", True, False),  # a class's fixture would need self
    ],
)
def test_wrapping_is_carried_only_as_written(item: str, scope: str, in_class: bool, carried: bool) -> None:
    code = WRAP.format(item=item, scope=scope, cls="class TestX:\n    " if in_class else "", self="self" if in_class else "")
    if in_class:  # indent the fixture into the class
        head, _, rest = code.partition("class TestX:\n    ")
        code = head + "class TestX:\n    " + rest.replace("\n", "\n    ")
    found = _survey(code + "\n@pytest.mark.asyncio\nasync def test_x():\n    pass\n", path="conftest.py" if not in_class else "tests/test_mod.py")
    assert found is not None
    (override,) = found.overrides
    if carried:
        assert override.action == "carry" and override.wraps, override.reason
    else:
        assert override.action == "leave"


def test_a_helper_called_for_its_effect_is_not_taken_for_the_loop() -> None:
    code = """
        import asyncio
        import pytest
        from loopkit import make_loop

        def reset_registry():
            pass

        @pytest.fixture
        def event_loop():
            reset_registry()
            loop = make_loop()
            yield loop
            loop.close()

        @pytest.mark.asyncio
        async def test_x():
            pass
    """
    found = _survey(code)
    assert found is not None
    (override,) = found.overrides
    assert override.action == "leave" and "recognises" in override.reason


def test_the_python_api_surveys_the_module_it_is_given() -> None:
    # migrate_source has no tree to survey: the module alone is (its own override reaches its tests)
    from migrate_async.engine import migrate_source

    code = (
        "import asyncio\n\nimport pytest\n\n\n"
        '@pytest.fixture(scope="module")\ndef event_loop():\n    loop = asyncio.new_event_loop()\n    yield loop\n    loop.close()\n\n\n'
        "@pytest.mark.asyncio\nasync def test_a():\n    pass\n"
    )
    assert migrate_source(code, select=["event-loop-fixture"]).code == (
        'import pytest\n\npytestmark = pytest.mark.asyncio(loop_scope="module")\n\n\nasync def test_a():\n    pass\n'
    )


# -- asyncio's own loop under a conftest that gives another (chain.resolve_chain) -----------------

UVLOOP_ROOT = """
import pytest
import uvloop

@pytest.fixture
def event_loop():
    loop = uvloop.new_event_loop()
    yield loop
    loop.close()
"""

ASYNCIO_NESTED = """
import asyncio
import pytest

@pytest.fixture
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()
{extra}
"""


def _chain(target=(1, 5), extra="", root=UVLOOP_ROOT):
    from migrate_async.transforms.event_loop_fixture.chain import resolve_chain

    surveys = [
        _survey(root, path="conftest.py", target=target),
        _survey(ASYNCIO_NESTED.format(extra=extra), path="tests/plain/conftest.py", target=target),
        _survey(ASYNCIO_NESTED.format(extra=""), path="tests/plain/deep/conftest.py", target=target),
    ]
    assert all(s is not None for s in surveys)
    return resolve_chain(surveys, target)


def test_asyncio_loop_under_uvloop_gets_its_own_hook_only_where_it_opts_out() -> None:
    root, nested, deep = _chain()
    assert not root.overrides[0].default_hook
    assert nested.overrides[0].default_hook and nested.overrides[0].action == "carry"
    assert not deep.overrides[0].default_hook  # the nested conftest's hook serves it already


def test_asyncio_loop_under_uvloop_below_1_4_is_left_with_the_policy_to_write() -> None:
    _, nested, _ = _chain(target=(1, 3))
    (override,) = nested.overrides
    assert override.action == "leave" and not override.default_hook
    assert "asyncio.DefaultEventLoopPolicy()" in override.reason


def test_asyncio_loop_under_uvloop_with_a_hook_of_its_own_is_carried_as_before() -> None:
    _, nested, _ = _chain(extra="def pytest_asyncio_loop_factories(config, item):\n    return None\n")
    assert not nested.overrides[0].default_hook and nested.overrides[0].action == "carry"


def test_asyncio_loop_under_asyncio_needs_no_hook() -> None:
    root, nested, _ = _chain(root=ASYNCIO_NESTED.format(extra=""))
    assert not nested.overrides[0].default_hook


def test_default_policy_under_uvloop_policy_gets_its_own_hook() -> None:
    from migrate_async.transforms.event_loop_fixture.chain import resolve_chain

    policy = "import asyncio\nimport pytest\nimport uvloop\n\n@pytest.fixture(scope='session')\ndef event_loop_policy():\n    return {}\n"
    root = _survey(policy.format("uvloop.EventLoopPolicy()"), path="conftest.py")
    nested = _survey(policy.format("asyncio.DefaultEventLoopPolicy()"), path="tests/plain/conftest.py")
    assert root is not None and nested is not None
    _, resolved = resolve_chain([root, nested], (1, 5))
    assert resolved.policies[0].default_hook and resolved.policies[0].action == "carry"


def test_wrapping_fixture_name_has_a_fallback(tmp_path, monkeypatch) -> None:
    from pathlib import Path

    from migrate_async.engine import RunOptions, run
    from migrate_async.transforms import BY_NAME

    monkeypatch.chdir(tmp_path)
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    taken = "".join(f"\n\ndef {name}():\n    pass\n" for name in ("_record", "_record_loop", "_record_2"))
    (tmp_path / "conftest.py").write_text(textwrap.dedent(WRAP.format(item="loop.record()", scope="function", cls="", self="")) + taken)
    (tmp_path / "test_a.py").write_text("import pytest\n\n@pytest.mark.asyncio\nasync def test_a():\n    pass\n")
    result = run([Path(".")], RunOptions(transforms=[BY_NAME["event-loop-fixture"]], target=None, write=True))
    assert not result.all_errors
    assert "async def _record_loop_2(request):" in (tmp_path / "conftest.py").read_text()


def test_wrapping_under_a_wider_default_test_loop_scope_is_left() -> None:
    code = WRAP.format(item="loop.record()", scope="function", cls="", self="") + "\n@pytest.mark.asyncio\nasync def test_x():\n    pass\n"
    facts = FileFacts(project=ProjectFacts(target=(1, 5), default_test_loop_scope="module"), path="conftest.py")
    found = survey_source(code, facts)
    assert found is not None
    (override,) = found.overrides
    assert override.action == "leave" and "asyncio_default_test_loop_scope (module)" in override.reason


def test_a_request_of_the_policy_that_became_the_hook_is_noted(tmp_path, monkeypatch) -> None:
    from pathlib import Path

    from migrate_async.engine import RunOptions, run
    from migrate_async.transforms import BY_NAME

    monkeypatch.chdir(tmp_path)
    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    policy = "import pytest\nimport uvloop\n\n\n@pytest.fixture(scope='session')\ndef event_loop_policy():\n    return {}\n"
    (tmp_path / "conftest.py").write_text(policy.format("uvloop.EventLoopPolicy()"))
    users = (
        "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_a():\n    pass\n\n\n"
        "def test_policy(event_loop_policy):\n    pass\n\n\nclass TestX:\n    def test_m(self, event_loop_policy):\n        pass\n"
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_a.py").write_text(users)
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "conftest.py").write_text(policy.format("asyncio.DefaultEventLoopPolicy()").replace("import uvloop", "import asyncio"))
    (tmp_path / "plain" / "test_b.py").write_text(users)
    result = run([Path(".")], RunOptions(transforms=[BY_NAME["event-loop-fixture"]], target=None, write=True))
    noted = sorted((n.path, n.line) for n in result.all_notes if "requests event_loop_policy" in n.message)
    # plain/: its own (default) policy override serves it, which gives the same default policy
    assert noted == [(str(Path("tests/test_a.py")), 9), (str(Path("tests/test_a.py")), 14)]


def test_a_policy_beside_an_event_loop_override_with_a_loop_type_says_the_override_won() -> None:
    override = "@pytest.fixture\ndef event_loop():\n    loop = ClockLoop()\n    yield loop\n    loop.close()\n"
    (policy,) = _policy(extra=override)
    assert policy.action == "leave" and "0.23 used the override, not this policy" in policy.reason
    assert "add this policy's loop factory" not in policy.reason


def test_asyncio_loop_in_a_test_module_under_uvloop_is_carried_with_a_note() -> None:
    from migrate_async.transforms.event_loop_fixture.chain import resolve_chain

    root = _survey(UVLOOP_ROOT, path="conftest.py")
    module = _survey(OVERRIDE.format(scope='"module"', make="asyncio.new_event_loop()"))
    assert root is not None and module is not None
    _, resolved = resolve_chain([root, module], (1, 5))
    (override,) = resolved.overrides
    assert override.action == "carry" and override.under == "uvloop.new_event_loop" and not override.default_hook
    _, alone = resolve_chain([_survey(ASYNCIO_NESTED.format(extra=""), path="conftest.py"), module], (1, 5))
    assert alone.overrides[0].under is None


# -- an override imported from a helper module of the project -----------------------------------

IMPORTED_TEST = """\
import asyncio

import pytest

{imports}


@pytest.mark.asyncio
async def test_x():
    await asyncio.sleep(0)
"""

MODULE_LOOP_HELPER = """\
import asyncio

import pytest


class StepLoop(asyncio.SelectorEventLoop):
    pass


@pytest.fixture(scope="{scope}")
def event_loop():
    loop = {make}
    yield loop
    loop.close()
"""


def _imported(tmp_path, imports="from tests.helpers import event_loop", scope="module",
              make="asyncio.new_event_loop()", helper=None, test=IMPORTED_TEST, target=None):
    from migrate_async.engine import RunOptions, run

    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "__init__.py").write_text("")
    (tests / "helpers.py").write_text(helper or MODULE_LOOP_HELPER.format(scope=scope, make=make))
    (tests / "test_mod.py").write_text(test.format(imports=imports))
    result = run([tmp_path], RunOptions(transforms=[EventLoopFixture], target=target, write=True))
    assert not result.all_errors
    created = tests / "conftest.py"
    return (
        (tests / "test_mod.py").read_text(),
        created.read_text() if created.exists() else None,
        [n.message for n in result.all_notes],
    )


def test_an_imported_module_scoped_override_becomes_the_module_mark(tmp_path) -> None:
    module, conftest, notes = _imported(tmp_path, imports="from tests.helpers import event_loop, StepLoop")
    assert "from tests.helpers import StepLoop\n" in module
    assert 'pytestmark = pytest.mark.asyncio(loop_scope="module")' in module
    assert "@pytest.mark.asyncio\n" not in module  # the module mark covers the test
    assert conftest is None and notes == []


def test_an_imported_loop_class_is_imported_by_the_conftest_hook(tmp_path) -> None:
    module, conftest, notes = _imported(tmp_path, scope="function", make="StepLoop()")
    assert "event_loop" not in module
    assert conftest is not None and "from tests.helpers import StepLoop\n" in conftest
    assert 'return {"StepLoop": StepLoop}' in conftest
    assert notes == []


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        # a relative import: the conftest could not spell the class's module
        (dict(imports="from .helpers import event_loop", scope="function", make="StepLoop()"), "relative"),
        # below 1.4 a loop type has no hook
        (dict(scope="function", make="StepLoop()", target=(1, 3)), "pytest-asyncio 1.4"),
        # it does more than make its loop
        (dict(helper=MODULE_LOOP_HELPER.format(scope="function", make="asyncio.new_event_loop()").replace(
            "    yield loop\n", "    loop.set_debug(True)\n    yield loop\n")), "does more than make its loop"),
        # sync code of the module requests it
        (dict(test=IMPORTED_TEST + "\n\ndef test_sync(event_loop):\n    event_loop.run_until_complete(asyncio.sleep(0))\n"),
         "sync code here requests it"),
    ],
)
def test_an_imported_override_that_cannot_be_carried_is_left_with_the_reason(tmp_path, kwargs, reason) -> None:
    module, conftest, notes = _imported(tmp_path, **kwargs)
    assert "import event_loop" in module and conftest is None
    (note,) = [n for n in notes if "imported here (tests/helpers.py:" in n]
    assert reason in note


def test_a_class_giving_asyncio_loops_under_a_module_branch_gets_its_own() -> None:
    code = (
        "import asyncio\nimport pytest\n\n"
        "class ModLoop(asyncio.SelectorEventLoop):\n    pass\n\n"
        "@pytest.fixture\ndef event_loop():\n    loop = ModLoop()\n    yield loop\n    loop.close()\n\n"
        "class TestPlain:\n    @pytest.fixture\n    def event_loop(self):\n"
        "        loop = asyncio.new_event_loop()\n        yield loop\n        loop.close()\n\n"
        "    @pytest.mark.asyncio\n    async def test_x(self):\n        pass\n"
    )
    found = _survey(code)
    assert found is not None
    module, cls = sorted(found.overrides, key=lambda o: o.class_name or "")
    assert module.branch and module.kind == "custom"
    assert cls.branch and cls.kind == "asyncio" and cls.class_name == "TestPlain"
    # without the module's branch, asyncio's loop is what the class gets anyway
    alone = _survey(code.replace("    loop = ModLoop()", "    loop = asyncio.new_event_loop()"))
    assert alone is not None and not any(o.branch for o in alone.overrides)


def test_a_selector_loop_made_with_arguments_is_not_asyncio_s_own() -> None:
    code = (
        "import asyncio\nimport selectors\nimport pytest\n\n"
        "@pytest.fixture\ndef event_loop():\n    loop = asyncio.SelectorEventLoop({args})\n    yield loop\n    loop.close()\n\n"
        "@pytest.mark.asyncio\nasync def test_x():\n    pass\n"
    )
    plain = _survey(code.format(args=""))
    assert plain is not None and plain.overrides[0].action == "carry"
    chosen = _survey(code.format(args="selectors.SelectSelector()"))
    assert chosen is not None
    (override,) = chosen.overrides
    assert override.action == "leave" and "recognises" in override.reason


CONFTEST_FIXTURE = """\
import asyncio

import pytest_asyncio


@pytest_asyncio.fixture{args}
async def client():
    return asyncio.get_running_loop()
"""

SHARED_LOOP_TEST = """\
import asyncio

import pytest


@pytest.fixture(scope="module")
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.mark.asyncio
async def test_one(client):
    assert client is asyncio.get_running_loop()


@pytest.mark.asyncio
async def test_two(client):
    assert client is asyncio.get_running_loop()
"""


@pytest.mark.parametrize(
    ("args", "noted"),
    [
        ("", True),  # a function-scoped loop of its own under 1.x, the tests on the module's
        ('(loop_scope="module")', False),  # it says the tests' loop already
        ('(scope="module")', False),  # its cache scope gives it a module loop too
    ],
)
def test_a_conftest_fixture_a_module_override_served_is_noted_once(tmp_path, args: str, noted: bool) -> None:
    from migrate_async.engine import RunOptions, run

    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "conftest.py").write_text(CONFTEST_FIXTURE.format(args=args))
    (tests / "test_shared.py").write_text(SHARED_LOOP_TEST)
    result = run([tmp_path], RunOptions(transforms=[EventLoopFixture], target=None, write=False))
    notes = [n for n in result.all_notes if "client (tests/conftest.py:7)" in n.message]
    assert len(notes) == (1 if noted else 0)
    if noted:
        assert 'give it loop_scope="module"' in notes[0].message and notes[0].line == 14


def test_a_class_s_event_loop_policy_override_is_noted(tmp_path) -> None:
    from migrate_async.engine import RunOptions, run

    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    (tmp_path / "test_policy.py").write_text(
        "import asyncio\n\nimport pytest\nimport uvloop\n\n\nclass TestFast:\n    @pytest.fixture\n"
        "    def event_loop_policy(self):\n        return uvloop.EventLoopPolicy()\n\n"
        "    @pytest.mark.asyncio\n    async def test_x(self):\n        pass\n"
    )
    result = run([tmp_path], RunOptions(transforms=[EventLoopFixture], target=None, write=False))
    (note,) = result.all_notes
    assert note.line == 9 and "this class's override was left in place" in note.message
    older = run([tmp_path], RunOptions(transforms=[EventLoopFixture], target=(1, 3), write=False))
    assert not older.all_notes  # below 1.4 the fixture is the way to choose a loop type


def test_one_hook_where_a_conftest_overrides_both_event_loop_and_asyncio_s_policy(tmp_path) -> None:
    # under a conftest giving another loop type, the event_loop override's uvloop decides
    # (0.23 made the loop from it, not from the policy): one hook, not a second for asyncio's
    from migrate_async.engine import RunOptions, run

    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    sub = tmp_path / "tests" / "sub"
    sub.mkdir(parents=True)
    (tmp_path / "tests" / "conftest.py").write_text(
        "import asyncio\n\nimport pytest\n\n\nclass StepLoop(asyncio.SelectorEventLoop):\n    pass\n\n\n"
        "@pytest.fixture\ndef event_loop():\n    loop = StepLoop()\n    yield loop\n    loop.close()\n"
    )
    (sub / "conftest.py").write_text(
        "import asyncio\n\nimport pytest\nimport uvloop\n\n\n@pytest.fixture\ndef event_loop():\n"
        "    loop = uvloop.new_event_loop()\n    yield loop\n    loop.close()\n\n\n"
        "@pytest.fixture\ndef event_loop_policy():\n    return asyncio.DefaultEventLoopPolicy()\n"
    )
    (sub / "test_s.py").write_text("import pytest\n\n\n@pytest.mark.asyncio\nasync def test_s():\n    pass\n")
    result = run([tmp_path], RunOptions(transforms=[EventLoopFixture], target=None, write=True))
    assert not result.all_errors
    text = (sub / "conftest.py").read_text()
    assert text.count("def pytest_asyncio_loop_factories") == 1
    assert 'return {"uvloop": uvloop.new_event_loop}' in text


def test_a_conftest_with_its_own_loop_factories_hook_keeps_its_uvloop_override() -> None:
    code = (
        "import uvloop\n\n\ndef pytest_asyncio_loop_factories(config, item):\n    return {\"x\": uvloop.new_event_loop}\n"
        + textwrap.dedent(OVERRIDE.format(scope='"session"', make="uvloop.new_event_loop()"))
    )
    found = _survey(code, path="conftest.py")
    assert found is not None and found.overrides[0].action == "leave"
    assert "already defines the loop-factories hook" in found.overrides[0].reason


# -- setup that runs coroutines on the override's loop (BodyReader.driven) --------------------------

DRIVEN = """
    import asyncio
    import pytest

    class Server:
        async def start(self):
            pass

        async def stop(self):
            pass

    class TestServer:
        @pytest.fixture{args}
        def event_loop(self):
            loop = asyncio.new_event_loop()
            {setup}
            yield loop
            loop.run_until_complete(self.server.stop())
            loop.close()

        @pytest.mark.asyncio
        async def test_x(self):
            pass
"""


@pytest.mark.parametrize(
    ("setup", "extra", "action", "why"),
    [
        ("self.server = Server(); loop.run_until_complete(self.server.start())", "", "carry", ""),
        ("self.server = Server(); self.port = loop.run_until_complete(self.server.start())", "", "carry", ""),
        # the awaited coroutine itself takes the loop: not only run on it
        ("self.server = Server(); loop.run_until_complete(self.server.start(loop))", "", "leave", "more with the loop"),
        # the loop is handed on besides
        ("self.server = Server(loop=loop); loop.run_until_complete(self.server.start())", "", "leave", "more with the loop"),
        # a sync test of the module requests the override: it keeps running the setup there
        ("self.server = Server(); loop.run_until_complete(self.server.start())",
         "\ndef test_sync(event_loop):\n    pass\n", "leave", "sync code here requests it (test_sync)"),
    ],
    ids=["statement", "assigned", "loop-in-awaited", "loop-handed-on", "sync-user"],
)
def test_setup_that_runs_coroutines_on_the_loop(setup: str, extra: str, action: str, why: str) -> None:
    code = textwrap.dedent(DRIVEN).format(args="", setup=setup.replace("; ", "\n        ")) + extra
    found = _survey(code)
    assert found is not None
    (override,) = found.overrides
    assert override.action == action, override.reason
    assert override.drives or action == "leave"
    assert why in override.reason


def test_setup_that_runs_coroutines_in_try_finally_is_left() -> None:
    code = textwrap.dedent(DRIVEN).format(args="", setup="self.server = Server()").replace(
        "        yield loop\n        loop.run_until_complete(self.server.stop())\n",
        "        try:\n            yield loop\n        finally:\n            loop.run_until_complete(self.server.stop())\n",
    )
    found = _survey(code)
    assert found is not None
    (override,) = found.overrides
    assert override.action == "leave" and "interleaved" in override.reason


@pytest.mark.parametrize(
    ("args", "default", "decorator"),
    [
        ("", None, "@pytest_asyncio.fixture(autouse=True)"),
        ("", "session", '@pytest_asyncio.fixture(autouse=True, loop_scope="function")'),
        (
            '(scope="class")', "function",
            '@pytest_asyncio.fixture(scope="class", loop_scope="class", autouse=True)\n    @classmethod',
        ),
    ],
)
def test_setup_that_runs_coroutines_becomes_an_async_fixture_on_the_tests_loop(
    tmp_path, monkeypatch, args: str, default: str | None, decorator: str
) -> None:
    from pathlib import Path

    from migrate_async.engine import RunOptions, run
    from migrate_async.transforms import BY_NAME

    monkeypatch.chdir(tmp_path)
    ini = "[pytest]\nasyncio_mode = strict\n"
    (tmp_path / "pytest.ini").write_text(ini + (f"asyncio_default_fixture_loop_scope = {default}\n" if default else ""))
    setup = "self.server = Server()\n        loop.run_until_complete(self.server.start())"
    (tmp_path / "test_mod.py").write_text(textwrap.dedent(DRIVEN).format(args=args, setup=setup))
    run([Path(".")], RunOptions(transforms=[BY_NAME["event-loop-fixture"]], target=None, write=True))
    text = (tmp_path / "test_mod.py").read_text()
    me = "cls" if "classmethod" in decorator else "self"  # a class-scoped one is a classmethod (pytest 9)
    assert f"    {decorator}\n    async def setup_server({me}):\n" in text
    assert f"        await {me}.server.start()\n        yield\n        await {me}.server.stop()\n" in text
    assert "import pytest_asyncio\n" in text and "event_loop" not in text


def test_policy_override_left_is_left_for_check(tmp_path, monkeypatch) -> None:
    """A policy override the tool cannot move is deprecated on the target (a
    PytestDeprecationWarning at every test): ``check`` must not call the run done."""
    from pathlib import Path

    from migrate_async.engine import RunOptions, run
    from migrate_async.transforms import REGISTRY

    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    (tmp_path / "requirements.txt").write_text("pytest-asyncio==0.21.2\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "conftest.py").write_text(POLICY.format(extra="", kwargs="", params="request", value="uvloop.EventLoopPolicy()"))
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], RunOptions(transforms=[t for t in REGISTRY if t.default], target=None))
    notes = [n for f in result.files for n in f.notes if n.kind == "policy-override-left"]
    assert [n.left for n in notes] == [True]
    assert "requests request" in notes[0].message


def test_policy_override_beside_an_own_event_loop_on_1x_is_left(tmp_path, monkeypatch) -> None:
    """After one apply the project pins 1.x, its kept event_loop is its own and keeps this
    transform out; the deprecated event_loop_policy override beside it must still be left,
    or check exits 0 on a suite failing with its PytestDeprecationWarning."""
    from pathlib import Path

    from migrate_async.engine import RunOptions, run
    from migrate_async.transforms import REGISTRY

    (tmp_path / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    (tmp_path / "requirements.txt").write_text("pytest-asyncio==1.5.0\n")
    (tmp_path / "tests").mkdir()
    conftest = POLICY.format(extra="", kwargs="", params="request", value="uvloop.EventLoopPolicy()")
    conftest += "\n\n@pytest.fixture\ndef event_loop(event_loop_policy):\n    loop = event_loop_policy.new_event_loop()\n    yield loop\n    loop.close()\n"
    (tmp_path / "tests" / "conftest.py").write_text(conftest)
    monkeypatch.chdir(tmp_path)
    result = run([Path(".")], RunOptions(transforms=[t for t in REGISTRY if t.default], target=None))
    assert not any(f.changed for f in result.files)
    left = [(n.path, n.kind) for f in result.files for n in f.notes if n.left]
    assert left == [("tests/conftest.py", "policy-override-left")]
