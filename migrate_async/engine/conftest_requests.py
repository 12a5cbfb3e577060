"""The definitions transforms asked for in conftest.py files (a fixture, a function, the
branches of a function: function_branches.py): placed, merged and added once per conftest.py,
after every file is processed, on top of what the run's edits made of that file.

Where: the nearest conftest.py at or above the asking file's folder, never above the
project's root (``nearest``), or the folder's own; a conftest.py that does not exist is
created, and shown in the diff as a new file. Several files of one project asking for the
same definition (``nearest``) ask as one, from the deepest folder that holds them all
(``shared_folders``): one conftest.py then covers every one of them, where the nearest
conftest.py of each could be a sibling folder's that the others never see. A definition
whose name the conftest.py already defines is not added again (so a second run changes
nothing); two different definitions of one name in one conftest.py are a note, and the
first one is added.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import libcst as cst

from ..cstkit.codegen import generate
from ..cstkit.libcst_bridge import ImportRequest
from ..cstkit.names import defined_names
from ..imports.edits import add_imports_fast
from ..imports.placement import (
    DEFAULT_ORDER,
    ImportOrder,
    first_party_names,
    place_new_imports,
    top_level_import_codes,
)
from ..paths import display_path, inside, resolved
from ..project import project_root
from ..textdiff import unified_diff
from ..transforms.transform import ConftestRequest, Note
from . import files
from .function_branches import add_branches, defined_above, defines_function
from .results import FileOutcome, RunResult

if TYPE_CHECKING:
    from .scan import ProjectPlan

CONFTEST = "conftest.py"


def conftest_for(request: ConftestRequest, root: Path | None, planned: set[Path]) -> Path:
    """The conftest.py that gets ``request``'s definition (see the module docstring)."""
    # resolved, as the root is: a folder reached through a symbolic link is where it leads
    folder = Path(os.path.realpath(request.folder))
    if request.nearest:
        limit = Path(os.path.realpath(root)) if root is not None else folder
        here = folder
        while True:
            candidate = here / CONFTEST
            if candidate in planned or candidate.is_file():
                return candidate
            if here == limit or limit not in here.parents:
                break
            here = here.parent
    return folder / CONFTEST


def shared_folders(asked: Sequence[tuple[ConftestRequest, Path | None]]) -> list[str]:
    """The folder each request is placed from (``asked``: each with its project's root):
    its own, or, for a definition that files of more than one folder of one project ask
    for (same name, same code, placed at the nearest conftest.py), the deepest folder that
    holds all of theirs."""
    groups: dict[tuple[str, str, str], list[int]] = {}
    for index, (request, root) in enumerate(asked):
        if request.branch is None and request.nearest:
            key = (str(root), request.name, request.code)
            groups.setdefault(key, []).append(index)
    folders = [request.folder for request, _root in asked]
    for members in groups.values():
        real = {os.path.realpath(asked[i][0].folder) for i in members}
        if len(real) > 1:
            common = os.path.commonpath(sorted(real))
            for i in members:
                folders[i] = common
    return folders


def add_definitions(
    text: str, requests: Sequence[ConftestRequest], first_party: frozenset[str], order: ImportOrder = DEFAULT_ORDER
) -> str:
    """``text`` (a conftest.py's, possibly empty) with each request's code appended and
    its imports added where the project's import sorter (``order``) would put them."""
    module = _append(files.parse(text, CONFTEST) if text else cst.parse_module(""), requests)
    return _finish(module, [i for r in requests for i in r.imports], first_party, order, created=not text)


def _append(module: cst.Module, requests: Sequence[ConftestRequest]) -> cst.Module:
    body = list(module.body)
    for request in requests:
        added = list(cst.parse_module(request.code).body)
        if not added:
            continue
        if body:
            added[0] = added[0].with_changes(leading_lines=(cst.EmptyLine(), cst.EmptyLine()))
        body.extend(added)
    return module.with_changes(body=body)


def _finish(
    module: cst.Module,
    imports: Sequence[tuple[str, str | None]],
    first_party: frozenset[str],
    order: ImportOrder,
    created: bool,
) -> str:
    """The code of ``module`` with ``imports`` added where the project's import sorter
    (``order``) would put them."""
    module = module.with_changes(has_trailing_newline=True)
    wanted = [ImportRequest(m, n, None, 0) for m, n in dict.fromkeys(imports)]
    if wanted:
        before = top_level_import_codes(module)
        fast = add_imports_fast(module, wanted)
        if fast is not None:
            module = place_new_imports(fast, before, first_party, order)
    code = generate(module)
    if created:
        code = code.lstrip("\n")
    return code


def _asker(request: ConftestRequest) -> str:
    """The file that asked for a definition (its folder when that is not known), as notes say it."""
    return display_path(Path(request.asker or request.folder))


def apply_conftest_requests(
    result: RunResult, plan_of: Sequence[ProjectPlan], write: bool, plugins: Sequence[Path] = ()
) -> None:
    """Add what the processed files asked for to their conftest.py files (see the module
    docstring); ``plan_of[i]`` is the plan of ``result.files[i]``; ``plugins``: the modules
    the configuration or a conftest.py loads as plugins (a hook there answers for every test)."""
    # resolved, as conftest_for's targets are: through a symbolic link to a folder, a
    # conftest.py the run already edited is still found as this run's
    by_path = {resolved(Path(f.path)): f for f in result.files}
    wanted: dict[Path, list[tuple[ConftestRequest, ProjectPlan]]] = {}
    planned: set[Path] = set()
    asked = [
        (outcome, plan, request)
        for outcome, plan in zip(list(result.files), plan_of)
        for request in outcome.conftest_requests
    ]
    folders = shared_folders([(request, project_root(plan.project)) for _outcome, plan, request in asked])
    for (outcome, plan, request), folder in zip(asked, folders):
        root = project_root(plan.project)
        target = conftest_for(request._replace(folder=folder), root, planned)
        if root is not None and not inside(target, root):
            # a folder reached through a symbolic link: nothing is written out there
            result.notes.append(Note(
                outcome.path, 1, 1, request.transform,
                f"{request.name} is wanted in a conftest.py outside the project (a symbolic link "
                "leads there); it is not created or edited: define it by hand",
                kind="conftest-outside-project",
            ))
            continue
        planned.add(target)
        wanted.setdefault(target, []).append((request, plan))
    final: dict[Path, str] = {}

    def text_of(path: Path) -> str | None:
        """A conftest.py's text as the run leaves it (function_branches.defined_above asks)."""
        if path in final:
            return final[path]
        outcome = by_path.get(path)
        if outcome is not None and outcome.texts is not None:
            return outcome.texts[1]
        try:
            return path.read_text(encoding="utf-8") if path.is_file() else None
        except (OSError, UnicodeDecodeError):
            return None

    # outermost first: a hook written above decides what a nested one's other tests get
    for target in sorted(wanted, key=lambda t: len(t.parts)):
        text = _add_to(result, target, wanted[target], by_path.get(target), write, text_of, plugins)
        if text is not None:
            final[target] = text


def _add_to(
    result: RunResult,
    target: Path,
    requests: list[tuple[ConftestRequest, ProjectPlan]],
    outcome: FileOutcome | None,
    write: bool,
    text_of: Callable[[Path], str | None],
    plugins: Sequence[Path] = (),
) -> str | None:
    """Add ``requests`` to ``target``; its new text when it changed."""
    display = display_path(target)
    if outcome is not None and outcome.error:
        return None  # the file could not be read, parsed or written: reported already
    root = project_root(requests[0][1].project)
    exists = target.exists()
    before = (outcome.changed, outcome.diff, outcome.texts) if outcome is not None and outcome.written else None
    if outcome is not None and outcome.texts is not None:
        original, current, encoding = outcome.texts
        on_disk: bytes | None = (current if outcome.written else original).encode(encoding)
    else:
        original, encoding, on_disk = "", "utf-8", None
        if exists:
            try:
                on_disk = target.read_bytes()
                original, encoding = files.decode(on_disk, display)
            except (OSError, files.SourceError) as exc:
                result.errors.append(_cannot(display, exc))
                return None
        current = original
        if outcome is None:
            outcome = FileOutcome(path=display)
            result.files.append(outcome)
    try:
        module = files.parse(current, display) if current else cst.parse_module("")
    except files.SourceError as exc:
        outcome.error = outcome.error or str(exc)
        return None
    defined = defined_names(module)
    chosen: list[ConftestRequest] = []
    by_name: dict[str, ConftestRequest] = {}
    for request, _plan in requests:
        if request.branch is not None:
            continue
        first = by_name.get(request.name)
        if first is not None:
            if first.code != request.code:
                result.notes.append(Note(
                    display, 1, 1, request.transform,
                    f"two different definitions of {request.name} were wanted here (for {_asker(first)} "
                    f"and {_asker(request)}); the first, {_asker(first)}'s, was added: check {_asker(request)} by hand",
                    kind="conftest-definitions-differ",
                ))
            continue
        by_name[request.name] = request
        if request.name not in defined:
            chosen.append(request)
    module = _append(module, chosen)
    imports = [i for r in chosen for i in r.imports]
    branched: dict[str, list[ConftestRequest]] = {}
    for request, _plan in requests:
        if request.branch is not None:
            branched.setdefault(request.name, []).append(request)
    for name, group in branched.items():
        module, needed, written = _merge_branches(
            result, module, name, group, target, root, text_of, plugins, requests[0][1].project.style.line_length
        )
        chosen += written
        imports += needed
    if not chosen:
        return None
    first_party = first_party_names(str(root or target.parent))
    new = _finish(module, imports, first_party, requests[0][1].project.style.imports, created=not current)
    if not files.output_is_valid(new, current):
        result.errors.append(f"{display}:1:1: internal error: the definitions asked for would not parse; left as it is")
        return None
    outcome.changed = True
    outcome.created = not exists
    outcome.diff = unified_diff(original, new, display, created=outcome.created)
    outcome.texts = (original, new, encoding)
    if write:
        try:
            files.atomic_write(target, new.encode(encoding), expected_old=on_disk, within=root)
            outcome.written = True
        except OSError as exc:
            error = files.write_failure(display, exc)
            if before is None:
                outcome.failed(error)
            else:  # what the run's own edits wrote stays written, and shown
                outcome.changed, outcome.diff, outcome.texts = before
                outcome.created = False
                outcome.error = error
            return None
    for request, plan in requests:
        if request in chosen:
            plan.changed = True
    return new


def _merge_branches(
    result: RunResult,
    module: cst.Module,
    name: str,
    group: list[ConftestRequest],
    target: Path,
    root: Path | None,
    text_of: Callable[[Path], str | None],
    plugins: Sequence[Path],
    line_length: int,
) -> tuple[cst.Module, list[tuple[str, str | None]], list[ConftestRequest]]:
    """``module`` with the branches of the function ``name`` that ``group`` asks for, the
    imports they need, and the requests written; a note for each when it cannot take them."""
    # a definition above, or one of a plugin module of this project (a run may span several),
    # answers for the tests the branches do not
    above = "conftest" if defined_above(target, root, name, text_of) else "plugin" if any(
        (text := text_of(plugin)) is not None and defines_function(text, name)
        for plugin in plugins
        if root is None or inside(plugin, root)
    ) else None
    module, needed, written, problem = add_branches(module, group, target, above, line_length)
    if problem is not None:
        for request in group:
            assert request.branch is not None
            result.notes.append(Note(display_path(target), 1, 1, request.transform, request.branch.unplaced(_asker(request), problem),
                                     kind="branch-not-placed"))
    return module, needed, written


def _cannot(display: str, exc: Exception) -> str:
    if isinstance(exc, files.SourceError):
        return str(exc)
    return f"{display}:1:1: cannot read: {getattr(exc, 'strerror', None) or 'input/output error'}"
