"""event-loop-fixture: the name of the autouse fixture that keeps an override's setup.

The name is the one a reviewer would give it, read from the setup (the statements kept from
the override, up to its ``yield``) with ``ast``; the teardown undoes the setup and names
nothing. What it sets up, one subject in all, names it:

- ``self.client = ...`` (or ``self.client.connect()``): ``setup_client``;
- a module global (``global DATABASE`` then ``DATABASE = ...``) or a module-level name it
  patches (``settings.DEBUG = True``, ``REGISTRY["x"] = ...``, ``REGISTRY.clear()``):
  ``setup_database``, ``setup_settings``, ``setup_registry``;
- environment variables (``os.environ[...]``, ``os.environ.update(...)``): ``setup_<the
  words their names start with>_env`` (``PAYMENTS_SANDBOX``, ``PAYMENTS_SPOOL``:
  ``setup_payments_env``), or ``setup_env``;
- a helper it calls (the module's own or one it imports by name: ``reset_registry()``;
  a method of the class: ``self.reset()``): the helper's name with a leading underscore,
  ``_reset_registry`` (a private ``_reset()`` gives ``reset``).

Local variables, and calls of imported modules (``os.makedirs``), set nothing up by
themselves. Two subjects or none, or a name taken, give the scope's generic name:
``per_test_setup`` (function scope), ``module_setup``, ``class_setup``, ``package_setup``,
``session_setup``; taken too, ``module_setup_2`` and so on. Taken: a name the module binds
(at its top level or in a top-level class: a new fixture of that name would shadow it, or be
shadowed by it in that class), a name of a conftest.py above that the survey read (one with
an override: its setup fixture too), and pytest's xunit names (``setup_module``...).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence

from ...imports.resolve import ImportMap
from ...pytest_model.fixtures import ast_fixture_decorator, ast_fixture_name

#: Names pytest calls by themselves (xunit-style setup and teardown).
_XUNIT = frozenset(
    f"{verb}_{what}" for verb in ("setup", "teardown") for what in ("module", "function", "class", "method")
) | {"setup", "teardown"}


def bound_names(body: Sequence[ast.stmt], imports: ImportMap) -> set[str]:
    """The names a module (or class) body binds: functions, classes, fixtures (under their
    ``name=`` too), assignments and imports, also under ``if``/``try`` at that level."""
    names: set[str] = set()
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(stmt.name)
            decorator = ast_fixture_decorator(stmt, imports)
            if decorator is not None:
                names.add(ast_fixture_name(stmt, decorator))
        elif isinstance(stmt, ast.ClassDef):
            names.add(stmt.name)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            names.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in stmt.names)
        elif isinstance(stmt, (ast.If, ast.Try)):
            names |= bound_names(list(_inner_statements(stmt)), imports)
    return names


def setup_statements(body: Sequence[ast.stmt], kept: Sequence[bool]) -> list[ast.stmt]:
    """The kept statements (``kept[i]``: body[i] stays) before the override's ``yield``."""
    setup = []
    for stmt, keep in zip(body, kept):
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Yield):
            break
        if keep:
            setup.append(stmt)
    return setup


def setup_name_candidates(
    setup: Sequence[ast.stmt], scope: str, module_names: set[str], imports: ImportMap, self_name: str | None
) -> tuple[str, ...]:
    """The names for the setup fixture, best first: the one its subject gives (if exactly
    one stands out), then the scope's generic one. ``module_names``: the module's top-level
    names; ``self_name``: the first parameter of a class's override."""
    reader = _SetupReader(module_names, imports, self_name)
    for stmt in setup:
        reader.read(stmt)
    generic = "per_test_setup" if scope == "function" else f"{scope}_setup"
    subjects = reader.subjects()
    if len(subjects) == 1 and subjects[0].isidentifier() and subjects[0] not in _XUNIT:
        return subjects[0], generic
    return (generic,)


def pick_name(candidates: Sequence[str], taken: set[str]) -> str:
    """The first candidate not taken, else the last one numbered (``module_setup_2``)."""
    for name in candidates:
        if name not in taken:
            return name
    number = 2
    while f"{candidates[-1]}_{number}" in taken:
        number += 1
    return f"{candidates[-1]}_{number}"


class _SetupReader:
    """Collects what each statement of a setup sets up, as the fixture name it suggests."""

    def __init__(self, module_names: set[str], imports: ImportMap, self_name: str | None) -> None:
        self.module_names = module_names
        self.imports = imports
        self.self_name = self_name
        self.globals: set[str] = set()
        self.locals: set[str] = set()
        self.named: list[str] = []
        self.env_keys: list[str | None] = []

    def subjects(self) -> list[str]:
        found = list(dict.fromkeys(self.named))
        if self.env_keys:
            found.append("_".join(["setup", *_common_words(self.env_keys), "env"]))
        return list(dict.fromkeys(found))

    def read(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.Global):
            self.globals.update(stmt.names)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Delete)):
            targets = stmt.targets if isinstance(stmt, (ast.Assign, ast.Delete)) else [stmt.target]
            for target in targets:
                self._target(target)
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            self._call(stmt.value)
        else:
            if isinstance(stmt, ast.For):
                self._target(stmt.target)
            elif isinstance(stmt, ast.With):
                for item in stmt.items:
                    if item.optional_vars is not None:
                        self._target(item.optional_vars)
            for inner in _inner_statements(stmt):
                self.read(inner)

    def _target(self, target: ast.expr) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._target(element)
        elif isinstance(target, ast.Starred):
            self._target(target.value)
        elif isinstance(target, ast.Name):
            if target.id in self.globals:
                self.named.append(f"setup_{_snake(target.id)}")
            else:
                self.locals.add(target.id)
        elif isinstance(target, ast.Subscript) and self._is_environ(target.value):
            key = target.slice
            self.env_keys.append(key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None)
        elif isinstance(target, (ast.Attribute, ast.Subscript)):
            self._patched(target, assigned=True)

    def _call(self, call: ast.Call) -> None:
        func = call.func
        if isinstance(func, ast.Attribute) and self._is_environ(func.value):
            self.env_keys.extend(_env_keys(call))
        elif self.imports.qualify_ast(func, well_known=False) in ("os.putenv", "os.unsetenv"):
            self.env_keys.extend(_env_keys(call))
        elif isinstance(func, ast.Name):
            if func.id in self.module_names and func.id not in self.locals:
                self.named.append(_helper_fixture(func.id))
        elif isinstance(func, ast.Attribute):
            if isinstance(func.value, ast.Name) and func.value.id == self.self_name:
                self.named.append(_helper_fixture(func.attr))
            else:
                self._patched(func, assigned=False)

    def _patched(self, target: ast.Attribute | ast.Subscript, assigned: bool) -> None:
        """What ``target`` belongs to is changed: ``target`` is assigned (``assigned``) or
        is the method called."""
        chain: list[str] = []
        owner: ast.expr = target
        while isinstance(owner, (ast.Attribute, ast.Subscript)):
            if isinstance(owner, ast.Attribute):
                chain.append(owner.attr)
            owner = owner.value
        if not isinstance(owner, ast.Name) or owner.id in self.locals:
            return
        if owner.id == self.self_name:
            if chain:
                self.named.append(f"setup_{_snake(chain[-1])}")
        elif owner.id in self.module_names and (assigned or owner.id not in self.imports.names):
            self.named.append(f"setup_{_snake(owner.id)}")

    def _is_environ(self, expr: ast.expr) -> bool:
        return self.imports.qualify_ast(expr, well_known=False) == "os.environ"


def _inner_statements(stmt: ast.stmt) -> Iterator[ast.stmt]:
    """The statements nested directly in a compound statement (its bodies and handlers)."""
    for child in ast.iter_child_nodes(stmt):
        if isinstance(child, ast.stmt):
            yield child
        elif isinstance(child, ast.ExceptHandler):
            yield from child.body


def _env_keys(call: ast.Call) -> list[str | None]:
    """The variable names an ``os.environ`` method or ``os.putenv`` call sets (None: unknown)."""
    if call.args and isinstance(call.args[0], ast.Dict):
        keys: list[ast.expr | None] = list(call.args[0].keys)
    else:
        keys = [call.args[0]] if call.args else []
    found = [k.value if isinstance(k, ast.Constant) and isinstance(k.value, str) else None for k in keys]
    found += [k.arg for k in call.keywords]  # None: **mapping
    return found or [None]


def _common_words(keys: Sequence[str | None]) -> list[str]:
    """The words (``_``-separated, lower case) every one of ``keys`` starts with."""
    if any(key is None for key in keys):
        return []
    split = [[w for w in key.lower().split("_") if w] for key in keys if key is not None]
    common: list[str] = []
    for words in zip(*split):
        if len(set(words)) != 1 or not (words[0].isascii() and words[0].isalnum()):
            break
        common.append(words[0])
    return common


def _helper_fixture(helper: str) -> str:
    """The fixture named for the helper it calls: ``_reset``, or ``reset`` for ``_reset``."""
    return helper.lstrip("_") if helper.startswith("_") else f"_{helper}"


def _snake(name: str) -> str:
    """``httpClient`` → ``http_client``, ``DATABASE`` → ``database``, ``_db`` → ``db``."""
    bare = name.lstrip("_")
    out: list[str] = []
    for i, char in enumerate(bare):
        if char.isupper() and i and (bare[i - 1].islower() or bare[i - 1].isdigit()):
            out.append("_")
        out.append(char.lower())
    return "".join(out)
