"""One module's text through the selected transforms, in registry order (no file I/O)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from ..cstkit.codegen import generate
from ..cstkit.name_index import NameIndex
from ..cstkit.parsing import parse_module as parse_unchecked
from ..cstkit.wrap import rewrap
from ..project import FileFacts
from ..project.formatting import reformat
from ..project.suppressions import skips_file
from ..readings import take_for_glance
from ..textdiff import opcodes
from ..transforms import BY_NAME, REGISTRY
from ..transforms.transform import (
    ConfigRequest,
    ConftestRequest,
    MigrationContext,
    Note,
    RequirementRequest,
    Transform,
)
from .prefilter import candidate_transforms, certainly_idle


@dataclass
class SourceResult:
    """What the selected transforms made of one module's text."""

    code: str
    notes: list[Note] = field(default_factory=list)
    config_requests: list[ConfigRequest] = field(default_factory=list)
    conftest_requests: list[ConftestRequest] = field(default_factory=list)
    requirement_requests: list[RequirementRequest] = field(default_factory=list)
    edits: dict[str, int] = field(default_factory=dict)
    ran: list[str] = field(default_factory=list)  # transforms whose triggers matched
    #: the rewritten tree (the code may also have been through the project's formatter)
    tree: cst.Module | None = None

    def changed(self, original: str) -> bool:
        return self.code != original


def migrate_tree(
    module: cst.Module,
    source: str,
    facts: FileFacts,
    transforms: Sequence[type[Transform]],
    notes_against: str = "original",
    idle: frozenset[str] = frozenset(),
) -> SourceResult:
    """Run ``transforms`` in order on a parsed module.

    Notes point at lines of the original text (``notes_against="original"``) or of the
    result (``"result"``), whichever the caller shows the user. ``idle``: the transforms
    certainly idle on the original text (prefilter.idle_transforms): one of them is not run
    while the tree is still the original (it would change nothing and say nothing).
    """
    result = SourceResult(code=source)
    if skips_file(source):
        return result  # ``# migrate-async: skip-file``
    staged: dict[str, tuple[cst.Module, list[Note]]] = {}
    requests: dict[str, list[ConfigRequest]] = {}
    conftest_requests: dict[str, list[ConftestRequest]] = {}
    requirement_requests: dict[str, list[RequirementRequest]] = {}
    tree = module
    data_seen = source.encode("utf-8", "surrogatepass")
    produced: set[bytes] = set()
    name_index = NameIndex()

    def run_one(transform_cls: type[Transform], tree: cst.Module, again: bool = False) -> cst.Module:
        """Run one transform; ``again``: a second pass (revisit_after), whose notes replace
        the first's (it reads the final tree), and whose requests join the first's (what the
        first pass did to the tree stays done, and asked for what it needs: an override it
        removed and whose loop type it sent to the conftest's hook is not there any more for
        the second pass to ask again)."""
        context = MigrationContext(facts=facts, source=source, filename=facts.path, index=name_index)
        transform = transform_cls(context)
        new_tree = transform.transform_module(tree)
        staged[transform_cls.name] = (tree, list(context.notes))
        name = transform_cls.name
        for kept, made in (
            (requests, context.config_requests),
            (conftest_requests, context.conftest_requests),
            (requirement_requests, context.requirement_requests),
        ):
            before = kept.get(name, []) if again else []
            kept[name] = before + [r for r in made if r not in before]  # type: ignore[operator]
        if transform.edits:
            result.edits[transform_cls.name] = result.edits.get(transform_cls.name, 0) + transform.edits
            produced.update(transform_cls.triggers.produces)
        return new_tree

    ran: list[type[Transform]] = []
    for transform_cls in transforms:
        if not transform_cls.matches(data_seen, produced, facts):
            continue
        ran.append(transform_cls)
        result.ran.append(transform_cls.name)
        if tree is module and transform_cls.name in idle:
            # what run_one leaves of a transform with nothing to do or to say
            staged[transform_cls.name] = (tree, [])
            requests[transform_cls.name] = []
            conftest_requests[transform_cls.name] = []
            requirement_requests[transform_cls.name] = []
            continue
        tree = run_one(transform_cls, tree)
    # A transform whose decision depends on what a later one rewrites runs once more
    # (event-loop-fixture keeps an override that sync tests use until sync-to-async has
    # made them async), so that a second ``apply`` has nothing left to do.
    for index, transform_cls in enumerate(ran):
        later_edits = {t.name for t in ran[index + 1:]} & set(result.edits)
        if later_edits & set(transform_cls.revisit_after):
            tree = run_one(transform_cls, tree, again=True)
    for found in requests.values():
        result.config_requests.extend(found)
    for wanted in conftest_requests.values():
        result.conftest_requests.extend(wanted)
    for needed in requirement_requests.values():
        result.requirement_requests.extend(needed)
    style = facts.project.style
    if tree is not module and style.known:
        tree = rewrap(tree, module, style.line_length, style.magic_trailing_comma, style.formatter is not None)
    result.code = generate(tree) if tree is not module else source
    result.tree = tree
    if tree is not module and not result.code.strip():
        result.code = ""  # every statement went (a conftest.py that held only an override): no stray blank line
    elif tree is not module:
        result.code = reformat(source, result.code, facts.path, facts.project.style)
    # Notes were positioned on the tree each transform was given; map them onto the text
    # the user will read.
    target_text = source if notes_against == "original" else result.code
    for stage_tree, notes in staged.values():
        if not notes:
            continue
        if stage_tree is module and notes_against == "original":
            result.notes.extend(notes)
            continue
        stage_text = source if stage_tree is module else generate(stage_tree)
        if stage_text == target_text:
            result.notes.extend(notes)
            continue
        mapper = LineMapper(stage_text, target_text)
        result.notes.extend(n._replace(line=mapper.map(n.line)) for n in notes)
    result.notes.sort(key=lambda n: (n.line, n.column, n.transform))
    return result


def surveyed(transforms: Iterable[type[Transform]], text: str, facts: FileFacts) -> list[tuple[str, Any]]:
    """(transform name, what its survey returned) for one module's text, for each of
    ``transforms`` that found something (an unparsable module gives nothing)."""
    found = []
    for transform in transforms:
        try:
            value = transform.survey(text, facts)
        except (SyntaxError, ValueError, RecursionError):
            value = None
        if value is not None:
            found.append((transform.name, value))
    return found


def migrate_source(
    code: str,
    select: Iterable[str] | None = None,
    facts: FileFacts | None = None,
) -> SourceResult:
    """Python API: migrate one module's text. Raises libcst.ParserSyntaxError on bad input."""
    transforms = resolve_selection(select)
    facts = facts or FileFacts()
    data = code.encode("utf-8", "surrogatepass")
    if not facts.survey:
        # the module is all there is: what the survey would say of it alone (an override
        # here reaches its own tests; nothing is known of conftest.py files above it)
        wanted = [t for t in transforms if t.triggers.surveys(data, facts.is_conftest)]
        entries = tuple((name, (value,)) for name, value in surveyed(wanted, code, facts))
        if entries:
            facts = dataclasses.replace(facts, survey=entries)
    chosen = candidate_transforms(data, facts, transforms)
    try:
        if not chosen or certainly_idle(code, facts, chosen):
            return SourceResult(code=code)
    finally:
        # (the survey kept its tree for the glance, which does not look at every text: no
        # engine.run gives it up here, and it is an ast tree of the whole module)
        take_for_glance(code)
    module = parse_module(code)
    return migrate_tree(module, code, facts, chosen)


def parse_module(text: str) -> cst.Module:
    """``cst.parse_module`` (the parser's nodes unchecked: cstkit.parsing), keeping the final
    line break of a file whose lines end in a lone ``\r`` (old Mac style): LibCST sees no
    trailing newline there, and its code for the tree drops the last ``\r`` (checked on
    such text only, so nothing else pays)."""
    module = parse_unchecked(text)
    if not module.has_trailing_newline and text.endswith("\r"):
        kept = module.with_changes(has_trailing_newline=True)
        if generate(kept) == text:
            return kept
    return module


def resolve_selection(select: Iterable[str] | None = None, ignore: Iterable[str] = ()) -> list[type[Transform]]:
    """Transform classes in registry order; ``select=None`` means the default set."""
    ignored = set(ignore)
    if select is None:
        chosen = {t.name for t in REGISTRY if t.default}
    else:
        chosen = set(select)
    unknown = (chosen | ignored) - set(BY_NAME)
    if unknown:
        raise KeyError(sorted(unknown))
    selected = [t for t in REGISTRY if t.name in chosen and t.name not in ignored]
    names = {t.name for t in selected}
    for transform in selected:
        clash = sorted(names & set(transform.conflicts_with))
        if clash:
            raise ValueError(f"{transform.name} cannot run together with {', '.join(clash)}")
    return selected


class LineMapper:
    """Maps line numbers of one version of a text onto another (through the edit script the
    diffs are made of, see textdiff)."""

    def __init__(self, old: str, new: str) -> None:
        self._ops = opcodes(old.splitlines(), new.splitlines())

    def map(self, line: int) -> int:
        index = line - 1
        for tag, i1, i2, j1, j2 in self._ops:
            if i1 <= index < i2:
                if tag == "equal":
                    return j1 + (index - i1) + 1
                return j1 + min(index - i1, max(j2 - j1 - 1, 0)) + 1
        return line
