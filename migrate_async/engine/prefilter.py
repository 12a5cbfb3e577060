"""The pre-filter: which transforms could change a file, decided from its bytes alone."""

from __future__ import annotations

from collections.abc import Sequence

from ..project import FileFacts, ProjectFacts
from ..transforms.glance import Glance
from ..transforms.transform import Transform


def gate_strings(transforms: Sequence[type[Transform]], project: ProjectFacts | None = None) -> tuple[bytes, ...] | None:
    """A few byte strings at least one of which every file that one of ``transforms``
    matches (:meth:`Transform.matches`, nothing produced yet) contains; None when no such
    strings can be given (a transform without triggers).

    Most files of a big tree need nothing, and each ``in`` costs about as much as reading
    a small file's bytes, so the pre-filter asks these first instead of each transform's
    own triggers: ``async`` stands for ``async def``, ``asyncio`` and ``asynctest`` at once.
    Picked greedily: the string that stands for the most transforms not yet covered, where
    a string stands for a trigger it is part of; ties go to the transform's earlier
    (rarer) trigger. A transform that has only ``triggers.any`` adds, for each alternative
    none of whose strings is already stood for, its first (rarest) string. With a
    ``project``, each transform's triggers in it (:meth:`Transform.triggers_for`).
    """
    choices: list[list[bytes]] = []  # per transform: single strings any of which suffices
    alternatives: list[tuple[bytes | tuple[bytes, ...], ...]] = []  # per transform with triggers.any alone
    for transform in transforms:
        triggers = transform.triggers if project is None else transform.triggers_for(project)
        single = [*triggers.all, *triggers.words]
        if single:
            choices.append(single)
        elif triggers.any:
            alternatives.append(triggers.any)
        else:
            return None
    vocabulary = list(dict.fromkeys(t for single in choices for t in single))
    chosen: list[bytes] = []
    uncovered = choices
    while uncovered:
        best: tuple[int, int, int] | None = None
        for order, root in enumerate(vocabulary):
            covering = [single for single in uncovered if any(root in t for t in single)]
            if not covering:
                continue
            # most transforms stood for; then the earliest position among their triggers
            rank = min(next(i for i, t in enumerate(single) if root in t) for single in covering)
            key = (-len(covering), rank, order)
            if best is None or key < best:
                best = key
        root = vocabulary[best[2]]
        chosen.append(root)
        uncovered = [single for single in uncovered if not any(root in t for t in single)]
    for options in alternatives:
        for option in options:
            strings = (option,) if isinstance(option, bytes) else option
            if not any(root in t for t in strings for root in chosen):
                chosen.append(strings[0])
    # a string that contains another chosen one adds nothing
    return tuple(t for t in chosen if not any(other != t and other in t for other in chosen))


def candidate_transforms(data: bytes, facts: FileFacts, transforms: Sequence[type[Transform]]) -> list[type[Transform]]:
    """The transforms that can possibly change a file with these bytes (the pre-filter)."""
    produced: set[bytes] = set()
    chosen = []
    for transform in transforms:
        if not transform.applies_to(facts):
            continue
        if transform.matches(data, produced, facts):
            chosen.append(transform)
            produced.update(transform.triggers.produces)
    return chosen


def certainly_idle(text: str, facts: FileFacts, chosen: Sequence[type[Transform]]) -> bool:
    """Whether every transform the byte-level pre-filter chose for this text certainly has
    nothing to do in it (:meth:`Transform.certainly_idle`): then it is not parsed with
    LibCST. The text is parsed with ``ast`` once, for all of them, and only when each of
    them can answer (one that cannot means LibCST anyway); a text ``ast`` cannot read, or
    an answer that fails, means "maybe".

    By induction on the registry order this is exact: the first transform does nothing,
    so the second sees the text as it is, and so on; a transform chosen only for what an
    earlier one would produce is asked about the text as it is too.
    """
    idle = idle_transforms(text, facts, chosen)
    return idle is not None and len(idle) == len(chosen)


def idle_transforms(text: str, facts: FileFacts, chosen: Sequence[type[Transform]]) -> frozenset[str] | None:
    """The names of those of ``chosen`` that certainly have nothing to do in this text,
    asked as :func:`certainly_idle` asks (None when it would not read the text with
    ``ast``). The file is LibCST-parsed unless all are; then each of them is still idle
    as long as none before it changed the tree (engine/source.py skips it there)."""
    if not chosen or any(_default_answer(t) for t in chosen):
        return None
    glance = Glance.parse(text)
    if glance is None:
        return None
    idle = []
    for transform in chosen:
        try:
            answer = transform.certainly_idle(glance, facts)
        except Exception:  # noqa: BLE001 - a bug in a predicate costs a LibCST parse, never the output
            answer = False
        if answer:
            idle.append(transform.name)
    return frozenset(idle)


def _default_answer(transform: type[Transform]) -> bool:
    return getattr(transform.certainly_idle, "__func__", None) is Transform.certainly_idle.__func__


def project_evidence(transforms: Sequence[type[Transform]], facts: FileFacts, data: bytes) -> list[str]:
    return [
        t.name for t in transforms
        if t.triggers.project and t.applies_to(facts) and any(p in data for p in t.triggers.project)
    ]
