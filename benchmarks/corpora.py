"""The trees the benchmark measures (bench.py): a flat corpus of test modules, and a tree
shaped like a real project (configuration, a package, a tests/ tree with a conftest.py chain,
most files needing nothing and a few needing much). Seeded: the same tree every run."""

from __future__ import annotations

import random
from pathlib import Path

PLAIN = '''\
import json

import pytest

from shop.cart import Cart


@pytest.fixture
def cart():
    return Cart(currency="EUR")


@pytest.mark.parametrize("qty", [1, 2, 3])
def test_add_item_{n}(cart, qty):
    cart.add("sku-{n}", qty)
    assert cart.count("sku-{n}") == qty


def test_serialise_{n}(cart):
    cart.add("sku-{n}", 1)
    assert json.loads(cart.to_json())["items"] == {{"sku-{n}": 1}}


class TestTotals{n}:
    def test_empty(self, cart):
        assert cart.total() == 0

    def test_rounding(self, cart):
        cart.add("sku-{n}", 3, price=0.1)
        assert cart.total() == pytest.approx(0.3)
'''

LEGACY = '''\
import asyncio
import time

import pytest

from shop.client import Client


@pytest.fixture(scope="module")
async def client():
    client = Client()
    await client.connect()
    yield client
    await client.close()


async def test_fetch_{n}(client):
    time.sleep(0.01)
    assert await client.fetch("sku-{n}")


@pytest.mark.asyncio(scope="module")
async def test_cached_{n}(client):
    assert await client.fetch("sku-{n}") is client.cache["sku-{n}"]


class TestRetries{n}:
    async def test_retry(self, client):
        for _ in range(3):
            time.sleep(0.01)
        assert client.retries == 0
'''


# What a Python repository usually ignores (discovery checks every file against it).
GITIGNORE = """\
__pycache__/
*.py[cod]
*.so
build/
dist/
eggs/
.eggs/
*.egg-info/
*.egg
wheels/
sdist/
var/
lib/
lib64/
parts/
htmlcov/
.tox/
.nox/
.coverage
.coverage.*
coverage.xml
*.cover
.cache
.pytest_cache/
.hypothesis/
.mypy_cache/
.ruff_cache/
.dmypy.json
.pyre/
.venv
venv/
env/
ENV/
.env
*.log
*.sqlite3
docs/_build/
/site
.idea/
.vscode/
*.swp
.DS_Store
"""


def make_corpus(root: Path, count: int, legacy_share: float, seed: int = 7) -> None:
    """A repository (with a .gitignore) of ``count`` test modules in folders of 200."""
    rng = random.Random(seed)
    (root / ".git").mkdir()
    (root / ".gitignore").write_text(GITIGNORE)
    (root / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    for i in range(count):
        folder = root / "tests" / f"pkg{i // 200:03}"
        folder.mkdir(parents=True, exist_ok=True)
        template = LEGACY if rng.random() < legacy_share else PLAIN
        # real test files are a few hundred lines: repeat the body a few times
        body = "\n\n".join(template.format(n=f"{i}_{k}") for k in range(rng.randint(2, 6)))
        (folder / f"test_module_{i:05}.py").write_text(body)


# -- a tree shaped like a real project ------------------------------------------------------

PYPROJECT = """\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "{pkg}"
version = "2.3.1"
description = "An order service"
requires-python = ">=3.10"
dependencies = [
    "httpx>=0.24",
    "sqlalchemy>=2.0",
]

[project.optional-dependencies]
test = [
    "pytest>=7.2",
    "pytest-asyncio==0.21.1",
    "pytest-cov",
    "asynctest==0.13.0",
]

[tool.setuptools.packages.find]
where = ["src"]

[tool.black]
line-length = 100

[tool.pytest.ini_options]
asyncio_mode = "strict"
testpaths = ["tests"]
addopts = "-ra --strict-markers"
markers = [
    "slow: takes more than a second",
    "integration: needs the services of docker-compose.yml",
]
filterwarnings = [
    "error",
    "ignore::DeprecationWarning:sqlalchemy.*",
]

[tool.coverage.run]
source = ["{pkg}"]
branch = true
"""

TOX_INI = """\
[tox]
envlist = py310, py311, py312, lint

[testenv]
extras = test
commands = pytest {{posargs}}

[testenv:lint]
deps = ruff
commands = ruff check src tests
"""

SETUP_CFG = """\
[flake8]
max-line-length = 100
exclude = .git,__pycache__,build,dist

[mypy]
strict = true
"""

REQUIREMENTS_TEST = """\
-e .[test]
pytest-asyncio==0.21.1
pytest-timeout==2.1.0
"""

SOURCE_MODULE = '''\
"""{name}: part of the order service."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass
class {cls}:
    name: str
    retries: int = 3
    items: dict[str, int] = field(default_factory=dict)

    async def fetch(self, key: str) -> int | None:
        for attempt in range(self.retries):
            try:
                return await asyncio.wait_for(self._lookup(key), timeout=1.0)
            except asyncio.TimeoutError:
                log.warning("attempt %d for %s timed out", attempt, key)
        return None

    async def _lookup(self, key: str) -> int | None:
        await asyncio.sleep(0)
        return self.items.get(key)

    def add(self, key: str, qty: int = 1) -> None:
        self.items[key] = self.items.get(key, 0) + qty


def run_{fn}(helper: {cls}, key: str) -> int | None:
    loop = asyncio.get_event_loop()
    return loop.run_until_complete(helper.fetch(key))
'''

ROOT_CONFTEST = '''\
import asyncio

import pytest
import pytest_asyncio

from {pkg}.settings import Settings
from {pkg}.client import Client


@pytest.fixture(scope="session")
def settings():
    return Settings(name="test", retries=1)


@pytest_asyncio.fixture
async def client(settings):
    client = Client(name=settings.name)
    yield client
    await asyncio.sleep(0)


@pytest.fixture
def anyio_backend():
    return "asyncio"
'''

FOLDER_CONFTEST = '''\
import pytest

from {pkg}.{module} import {cls}


@pytest.fixture
def {fixture}():
    helper = {cls}(name="{fixture}")
    helper.add("a", 2)
    return helper


@pytest.fixture(params=[1, 2, 5])
def quantity(request):
    return request.param
'''

# the legacy override of the integration tests: one loop for the whole session
LOOP_CONFTEST = '''\
import asyncio

import pytest

from {pkg}.database import Database


@pytest.fixture(scope="session")
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="session")
async def database():
    db = Database(name="integration")
    yield db
    await asyncio.sleep(0)
'''

# files that need nothing: modern strict-mode tests, sync tests, fixtures
MODERN = '''\
import asyncio

import pytest
import pytest_asyncio

from {pkg}.{module} import {cls}


@pytest_asyncio.fixture
async def primed_{n}():
    helper = {cls}(name="primed")
    helper.add("sku-{n}", 3)
    await asyncio.sleep(0)
    return helper


@pytest.mark.asyncio
async def test_fetch_{n}(primed_{n}):
    assert await primed_{n}.fetch("sku-{n}") == 3


@pytest.mark.asyncio
async def test_missing_{n}(primed_{n}):
    assert await primed_{n}.fetch("nothing") is None


class TestConcurrent{n}:
    @pytest.mark.asyncio
    async def test_gather(self, primed_{n}):
        results = await asyncio.gather(*(primed_{n}.fetch("sku-{n}") for _ in range(3)))
        assert results == [3, 3, 3]
'''

SYNC = '''\
import json

import pytest

from {pkg}.{module} import {cls}


@pytest.fixture
def filled_{n}():
    helper = {cls}(name="filled")
    for key in ("a", "b", "c"):
        helper.add(key)
    return helper


@pytest.mark.parametrize("qty", [1, 2, 3])
def test_add_{n}(filled_{n}, qty):
    filled_{n}.add("sku-{n}", qty)
    assert filled_{n}.items["sku-{n}"] == qty


def test_dump_{n}(filled_{n}):
    assert json.loads(json.dumps(filled_{n}.items)) == {{"a": 1, "b": 1, "c": 1}}


class TestNames{n}:
    def test_name(self, filled_{n}):
        assert filled_{n}.name == "filled"

    def test_retries(self, filled_{n}):
        assert filled_{n}.retries == 3
'''

# files that need much: the old loop fixture requested, sync tests driving coroutines,
# blocking sleeps in coroutines, asynctest, unmarked tests and plain async fixtures
LEGACY_LOOP = '''\
import asyncio
import time

import pytest

from {pkg}.{module} import {cls}


@pytest.fixture
async def started_{n}(event_loop):
    helper = {cls}(name="started")
    await event_loop.run_in_executor(None, helper.add, "sku-{n}")
    yield helper


@pytest.mark.asyncio(scope="module")
async def test_started_{n}(started_{n}, event_loop):
    assert asyncio.get_event_loop() is event_loop
    time.sleep(0.01)
    assert await started_{n}.fetch("sku-{n}") == 1


def test_sync_driver_{n}(event_loop):
    helper = {cls}(name="driven")
    helper.add("sku-{n}", 2)
    assert event_loop.run_until_complete(helper.fetch("sku-{n}")) == 2


async def test_unmarked_{n}(started_{n}):
    for _ in range(2):
        time.sleep(0.01)
    assert started_{n}.retries == 3
'''

LEGACY_ASYNCTEST = '''\
import asynctest
from asynctest import CoroutineMock

from {pkg}.{module} import {cls}


class Test{cls}{n}(asynctest.TestCase):
    async def setUp(self):
        self.helper = {cls}(name="mocked")
        self.helper._lookup = CoroutineMock(return_value=7)

    async def test_fetch(self):
        self.assertEqual(await self.helper.fetch("x"), 7)
        self.helper._lookup.assert_awaited_once_with("x")

    def test_add(self):
        self.helper.add("y", 2)
        self.assertEqual(self.helper.items, {{"y": 2}})
'''

MODULES = [("client", "Client"), ("settings", "Settings"), ("database", "Database"), ("cart", "Cart"),
           ("billing", "Billing"), ("shipping", "Shipping"), ("catalog", "Catalog"), ("audit", "Audit")]
AREAS = ["orders", "payments", "users", "inventory", "search", "reports"]


def make_project(root: Path, test_files: int, legacy_share: float = 0.08, seed: int = 11, pkg: str = "ordersvc") -> None:
    """A project: pyproject.toml (pytest's options, pytest-asyncio pinned), tox.ini,
    setup.cfg, requirements-test.txt, a package under src/, and a tests/ tree three to four
    folders deep with a conftest.py in most folders (fixtures; the integration tests' one
    overrides event_loop). Of the ``test_files`` test modules, ``legacy_share`` need much
    (event_loop requested, run_until_complete, time.sleep in coroutines, asynctest); the
    others need nothing (marked async tests, sync tests, fixtures)."""
    rng = random.Random(seed)
    (root / ".git").mkdir(parents=True)
    (root / ".gitignore").write_text(GITIGNORE)
    (root / "pyproject.toml").write_text(PYPROJECT.format(pkg=pkg))
    (root / "tox.ini").write_text(TOX_INI)
    (root / "setup.cfg").write_text(SETUP_CFG)
    (root / "requirements-test.txt").write_text(REQUIREMENTS_TEST)
    package = root / "src" / pkg
    for sub in ("", "api", "api/v1", "storage", "workers"):
        folder = package / sub
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text('"""The order service."""\n' if not sub else "")
        for k in range(max(2, test_files // 40)):
            name, cls = MODULES[k % len(MODULES)]
            stem = name if not sub else f"{name}_{k}"
            body = "\n\n".join(SOURCE_MODULE.format(name=stem, cls=f"{cls}{j}" if j else cls, fn=f"{stem}_{j}")
                               for j in range(rng.randint(1, 4)))
            (folder / f"{stem}.py").write_text(body)
    tests = root / "tests"
    tests.mkdir()
    (tests / "__init__.py").write_text("")
    (tests / "conftest.py").write_text(ROOT_CONFTEST.format(pkg=pkg))
    # tests/<kind>/<area>[/<part>]: unit and functional deep, integration under the loop override
    folders = []
    for kind in ("unit", "functional", "integration"):
        for area in AREAS:
            base = tests / kind / area
            folders.append(base)
            if kind != "integration":
                folders.extend(base / part for part in ("models", "handlers"))
    for f, folder in enumerate(folders):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text("")
        name, cls = MODULES[f % len(MODULES)]
        if f % 3 == 0:
            conftest = FOLDER_CONFTEST.format(pkg=pkg, module=name, cls=cls, fixture=f"{name}_helper")
            (folder / "conftest.py").write_text(conftest)
    (tests / "integration" / "conftest.py").write_text(LOOP_CONFTEST.format(pkg=pkg))
    (tests / "unit" / "conftest.py").write_text(FOLDER_CONFTEST.format(pkg=pkg, module="cart", cls="Cart", fixture="cart"))
    for i in range(test_files):
        folder = folders[i % len(folders)]
        name, cls = MODULES[i % len(MODULES)]
        if rng.random() < legacy_share:
            template = LEGACY_ASYNCTEST if rng.random() < 0.25 else LEGACY_LOOP
        else:
            template = MODERN if rng.random() < 0.55 else SYNC
        body = "\n\n".join(template.format(pkg=pkg, module=name, cls=cls, n=f"{i}_{k}") for k in range(rng.randint(2, 6)))
        (folder / f"test_{folder.name}_{i:04}.py").write_text(body)
