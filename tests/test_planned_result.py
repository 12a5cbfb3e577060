"""A property of every run over the golden before-cases and the end-to-end projects: the
result has no import of a project name that no longer resolves, and no request of
``event_loop`` that nothing provides, unless a note marked ``left`` reports it there.

The oracle here is written apart from the tool's own check (engine/plan_check.py and
pytest_model/providers.py), with plain ``ast`` and the simplest reading of pytest's rules: an
import resolves against the importing file's folder (its first folder without an
``__init__.py``), the project root and ``src/``; ``event_loop`` is provided by a definition or
binding in the test's class, its module, a conftest.py above it within the project, or a
module a conftest.py names in ``pytest_plugins`` or star-imports.
"""

from __future__ import annotations

import ast
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from migrate_async.engine import RunOptions, RunResult, run
from migrate_async.goldens import BEFORE_ROOT
from migrate_async.project import NEWEST_TARGET
from migrate_async.transforms import REGISTRY

DATA = Path(__file__).parent / "data"
CONFIGS = ("pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg")
NAME = "event_loop"


@dataclass(frozen=True)
class Problem:
    path: Path
    first: int
    last: int
    what: str


def _parse(path: Path) -> ast.Module | None:
    try:
        return ast.parse(path.read_bytes())
    except (SyntaxError, ValueError):
        return None


def _root(path: Path, top: Path) -> Path:
    for folder in path.parents:
        if any((folder / name).is_file() for name in CONFIGS) or folder == top:
            return folder
    return top


def _module_level(body: list[ast.stmt]):
    for statement in body:
        yield statement
        for field in ("body", "orelse", "finalbody"):
            if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                yield from _module_level(getattr(statement, field, []) or [])
        for handler in getattr(statement, "handlers", []) or []:
            yield from _module_level(handler.body)


def _binds(body: list[ast.stmt]) -> tuple[set[str], bool]:
    """The names bound at module level (or in a class body), and whether a star-import is there."""
    names: set[str] = set()
    star = False
    for statement in _module_level(body):
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(statement.name)
            for decorator in getattr(statement, "decorator_list", []):
                if isinstance(decorator, ast.Call):
                    names.update(str(k.value.value) for k in decorator.keywords if k.arg == "name" and isinstance(k.value, ast.Constant))
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            for alias in statement.names:
                star = star or alias.name == "*"
                names.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
    return names, star


def _module_file(module: str, level: int, importer: Path, root: Path) -> Path | None:
    parts = [p for p in module.split(".") if p]
    if level:
        bases = [importer.parents[level - 1]]
    else:
        basedir = importer.parent
        while (basedir / "__init__.py").is_file():
            basedir = basedir.parent
        bases = [basedir, root, root / "src"]
    for base in bases:
        target = base.joinpath(*parts)
        for candidate in ((target.with_suffix(".py") if parts else None), target / "__init__.py"):
            if candidate is not None and candidate.is_file():
                return candidate
    return None


def _import_problems(path: Path, tree: ast.Module, root: Path, top: Path, original: Path) -> list[Problem]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        for alias in node.names:
            if alias.name == "*":
                continue
            where = (path, node.lineno, node.end_lineno or node.lineno)
            if node.level == 0 and node.module in ("pytest_asyncio", "pytest_asyncio.plugin") and alias.name == NAME:
                found.append(Problem(*where, f"from {node.module} import {NAME}"))
                continue
            module = _module_file(node.module or "", node.level, path, root)
            if module is None or _has(module, alias.name):
                continue
            # only what resolved before the run: an import that never did is not the run's
            old = original / module.relative_to(top) if module.is_relative_to(top) else None
            if old is not None and old.is_file() and _has(old, alias.name):
                found.append(Problem(*where, f"import of {alias.name} from {module}"))
    return found


def _has(module: Path, name: str) -> bool:
    tree = _parse(module)
    if tree is None:
        return True
    names, star = _binds(tree.body)
    if star or name in names:
        return True
    return module.name == "__init__.py" and ((module.parent / f"{name}.py").is_file() or (module.parent / name / "__init__.py").is_file())


def _last_name(decorator: ast.expr) -> str:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")


def _requests(tree: ast.Module) -> list[tuple[int, int, str | None]]:
    """(first line, last line, class) of each request of event_loop in a module."""
    found = []
    for statement in tree.body:
        cls = statement.name if isinstance(statement, ast.ClassDef) else None
        for func in [statement] if cls is None else statement.body:
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            args = func.args
            plain = [a.arg for a in args.args[: len(args.args) - len(args.defaults)]]
            plain += [a.arg for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is None]
            fixture = any(_last_name(d) == "fixture" for d in func.decorator_list)
            parametrized = any(
                isinstance(d, ast.Call) and _last_name(d) == "parametrize" and bool(d.args)
                and NAME in ast.unparse(d.args[0]) and not any(k.arg == "indirect" for k in d.keywords)
                for d in func.decorator_list
            )
            if NAME in plain and (fixture or func.name.startswith("test")) and not parametrized:
                first = min([func.lineno, *(d.lineno for d in func.decorator_list)])
                found.append((first, func.end_lineno or func.lineno, cls))
        for node in ast.walk(statement):
            if (
                isinstance(node, ast.Call) and getattr(node.func, "attr", "") in ("usefixtures", "getfixturevalue")
                and any(isinstance(a, ast.Constant) and a.value == NAME for a in node.args)
            ):
                found.append((node.lineno, node.lineno, cls))
    return found


def _plugins(root: Path) -> list[Path]:
    modules = []
    for conftest in root.rglob("conftest.py"):
        tree = _parse(conftest)
        for node in tree.body if tree is not None else []:
            if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
                modules.append(_module_file(node.module or "", node.level, conftest, root))
            elif isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "pytest_plugins" for t in node.targets):
                values = node.value.elts if isinstance(node.value, (ast.List, ast.Tuple)) else [node.value]
                modules += [_module_file(v.value, 0, conftest, root) for v in values if isinstance(v, ast.Constant)]
    return [m for m in modules if m is not None]


def _provides(path: Path) -> bool:
    if not path.is_file():
        return False
    tree = _parse(path)
    if tree is None:
        return True
    names, star = _binds(tree.body)
    return star or NAME in names


def _request_problems(path: Path, tree: ast.Module, root: Path) -> list[Problem]:
    requests = _requests(tree)
    if not requests:
        return []
    names, star = _binds(tree.body)
    chain = [folder / "conftest.py" for folder in [path.parent, *path.parents] if folder == root or root in folder.parents]
    above = star or NAME in names or any(_provides(c) for c in chain) or any(_provides(p) for p in _plugins(root))
    found = []
    for first, last, cls in requests:
        if above:
            continue
        if cls is not None:
            klass = next(s for s in tree.body if isinstance(s, ast.ClassDef) and s.name == cls)
            if NAME in _binds(klass.body)[0]:
                continue
        found.append(Problem(path, first, last, f"request of {NAME}"))
    return found


def _left_alone(result: RunResult, top: Path) -> list[Path]:
    """Folders of projects the run left as they are, and of hooks that run their own tests."""
    folders = []
    for line in result.left_alone:
        where = line.split(":", 1)[0]
        folders.append((top.parent / where).parent if where != "." else top.parent)
    return folders


def _unreported(result: RunResult, top: Path, original: Path) -> list[Problem]:
    skipped = _left_alone(result, top)
    left = {(n.path, n.line) for n in result.all_notes if n.left}
    problems = []
    for path in sorted(top.rglob("*.py")):
        if "__pycache__" in path.parts or any(path.is_relative_to(f) for f in skipped):
            continue
        tree = _parse(path)
        if tree is None:
            continue
        root = _root(path, top)
        shown = path.relative_to(top.parent).as_posix()
        for problem in _import_problems(path, tree, root, top, original) + _request_problems(path, tree, root):
            if not any((shown, line) in left for line in range(problem.first, problem.last + 1)):
                problems.append(problem)
    return problems


def _migrate(source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[RunResult, Path]:
    work = tmp_path / source.name
    shutil.copytree(source, work, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(tmp_path)
    options = RunOptions(transforms=[t for t in REGISTRY if t.default], target=NEWEST_TARGET, write=True)
    return run([Path(source.name)], options), work


@pytest.mark.parametrize("source", [BEFORE_ROOT, DATA / "legacy_chat", DATA / "legacy_inventory"], ids=lambda p: p.name)
def test_nothing_left_broken_goes_unreported(source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result, work = _migrate(source, tmp_path, monkeypatch)
    assert result.all_errors == []
    assert _unreported(result, work, source) == []


def test_the_oracle_sees_what_it_looks_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a project the run cannot finish: the oracle finds both problems, and the run reports both
    project = tmp_path / "before" / "proj"
    (project / "tests").mkdir(parents=True)
    (project / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    # (the skip comment keeps the run from completing the import: the check must say it)
    (project / "tests" / "helpers.py").write_text("# migrate-async: skip-file\nfrom pytest_asyncio.plugin import event_loop\n")
    (project / "tests" / "test_a.py").write_text(
        "def test_sync(request):\n    assert request.getfixturevalue('event_loop')\n"
    )
    result, work = _migrate(project, tmp_path / "run", monkeypatch)
    silent = RunResult(files=[], left_alone=result.left_alone)
    assert [(p.path.name, p.first) for p in _unreported(silent, work, project)] == [("helpers.py", 2), ("test_a.py", 2)]
    assert _unreported(result, work, project) == []
