"""The survey pass: cross-file facts gathered before any rewriting (see ``Transform.survey``)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

from ..paths import display_path, resolved, within
from ..present import ROOTS, Present
from ..project import FileFacts, ProjectFacts, ProjectResolver, project_root
from ..transforms import BY_NAME
from ..transforms.transform import Transform
from .files import SourceError, decode
from .results import RunRefused
from .source import surveyed

#: files surveyed by one task of the pool (what a task costs to send is paid once per batch)
BATCH = 8

#: one file to survey in the pool: (resolved path, path as found, its bytes, the names of
#: the transforms that want it, its facts)
Task = tuple[str, str, bytes, tuple[str, ...], FileFacts]


class Survey:
    """The survey pass: cross-file facts, gathered before rewriting (see Transform.survey).

    Files are surveyed as the scan reads them; afterwards the conftest.py files above the
    scanned folders (up to their project root) and the modules loaded as plugins that were
    not among them. With a pool
    (``executor``), the surveys run there, in batches, while the scan goes on; what they
    found is taken in the order the files were looked at (:meth:`collect`), as a run
    without a pool takes it.
    """

    def __init__(self, transforms: Sequence[type[Transform]], resolver: ProjectResolver, executor: Executor | None = None) -> None:
        self.transforms = [t for t in transforms if t.triggers.survey]
        self.resolver = resolver
        self.found: dict[str, dict[str, Any]] = {t.name: {} for t in self.transforms}
        #: (folder, a loaded module left out of it or None) → Survey._chain
        self._chains: dict[tuple[str, str | None], tuple[tuple[str, tuple[Any, ...]], ...]] = {}
        #: the resolved paths of the modules the run's projects load as plugins (pipeline)
        self.plugins: frozenset[str] = frozenset()
        #: each of ``plugins`` → the resolved folders whose tests its fixtures serve (the
        #: scan: pytest_model.loading.fixtures_reach); and, made from it once, each folder
        #: → the modules whose survey values join the chain there (_joining)
        self.reach: dict[str, list[str]] = {}
        self._joining: dict[str, list[str]] | None = None
        #: the resolved folders whose conftest.py names the loop fixture (the scan); None:
        #: not known, every folder may have one
        self.loop_conftest_folders: frozenset[str] | None = None
        self.executor = executor
        #: per kind of file (a conftest.py or plugin module, or not): strings at least one
        #: of which a file any of the transforms surveys holds (Triggers.survey_needs)
        self._needs = {conftest: survey_needs(self.transforms, conftest) for conftest in (False, True)}
        self._batch: list[Task] = []
        self._pending: list[tuple[list[str], Future[list[list[tuple[str, Any]]]]]] = []

    def look_at(
        self, real: str, path: str, data: bytes, folder: str | None = None, present: Present | None = None, name: str | None = None,
    ) -> None:
        """Survey one file (``real`` resolved, ``path`` as found) with these bytes; a plugin
        module (named by ``pytest_plugins`` or ``-p``) is loaded as a conftest.py is.
        ``folder``: the resolved folder of ``path`` when the caller knows it (the scan: its
        file is not resolved again); ``present``: the strings known to occur in ``data``
        (the scan's, shared with its other checks); ``name``: the file's name, when known."""
        if present is None:
            present = Present(data)
        conftest = (name or os.path.basename(path)) == "conftest.py" or real in self.plugins
        for needed in self._needs[conftest]:
            if needed in present:
                break
        else:
            return  # (most files of a tree: a few look-ups instead of each transform's triggers)
        wanted = [transform for transform in self.transforms if transform.triggers.surveys(present, conftest)]
        if not wanted:
            return
        if folder is not None:
            facts = FileFacts.for_path(self.resolver.facts_for_dir(Path(folder)), Path(path))
        else:
            facts = self.resolver.facts_for_file(Path(path))
        if self.plugins:
            facts = dataclasses.replace(facts, is_conftest=facts.is_conftest or real in self.plugins, plugins=self.plugins)
        elif self.loop_conftest_folders is not None and not facts.is_conftest:
            folder = os.path.dirname(real)
            above = any(within(folder, f) for f in self.loop_conftest_folders)
            if not above:
                facts = dataclasses.replace(facts, loop_fixture_above=False)
        if self.executor is not None:
            self._batch.append((real, path, data, tuple(t.name for t in wanted), facts))
            if len(self._batch) >= BATCH:
                self._send()
            return
        for name, value in _surveyed_bytes(wanted, path, data, facts):
            self.found[name][real] = value

    def _send(self) -> None:
        if self._batch and self.executor is not None:
            self._pending.append(([task[0] for task in self._batch], self.executor.submit(survey_batch, self._batch)))
            self._batch = []

    def collect(self) -> None:
        """What the pool found, taken in the order the files were looked at."""
        self._send()
        for reals, future in self._pending:
            for real, found in zip(reals, future.result()):
                for name, value in found:
                    self.found[name][real] = value
        self._pending = []

    def conftests_above(self, folders: Iterable[tuple[str, ProjectFacts]], read: set[str]) -> None:
        """Survey the conftest.py files above ``folders`` (each up to its project root) that
        are not in ``read``, one look per folder, and the modules loaded as plugins
        (``reach``) that are not in it."""
        looked_in: set[str] = set()
        for start, project in folders:
            root = project_root(project)
            top = str(resolved(root)) if root is not None else None
            folder = start
            while True:
                if folder not in looked_in:
                    looked_in.add(folder)
                    candidate = os.path.join(folder, "conftest.py")
                    if candidate not in read and os.path.isfile(candidate):
                        self._look_at_file(candidate)
                parent = os.path.dirname(folder)
                if folder == top or parent == folder:
                    break
                folder = parent
        # the modules loaded as plugins that the run does not read (a conftest.py above
        # the files named loads them, say)
        for module in self.reach:
            if module not in read:
                self._look_at_file(module)

    def _look_at_file(self, real: str) -> None:
        """Survey the resolved file ``real``, read here (nothing when it cannot be read)."""
        try:
            with open(real, "rb") as handle:
                data = handle.read()
        except OSError:
            return
        self.look_at(real, real, data)

    def settle(self) -> None:
        """Each transform's values read together (Transform.settle), once the files are surveyed."""
        self.collect()
        for transform in self.transforms:
            if self.found[transform.name]:
                self.found[transform.name] = transform.settle(self.found[transform.name])
        self._chains.clear()
        self._joining = None

    def refuse(self) -> None:
        for transform in self.transforms:
            reason = transform.refusal({display_path(Path(p)): v for p, v in self.found[transform.name].items()})
            if reason:
                raise RunRefused(f"{transform.name}: {reason}")

    @property
    def anything(self) -> bool:
        return any(self.found.values())

    def _chain(self, folder: str, without: str | None = None) -> tuple[tuple[str, tuple[Any, ...]], ...]:
        """Per transform, what reaches the files of ``folder`` from it and the folders above
        it, outermost first: at each folder, what the modules loaded as plugins whose
        fixtures serve the tests there returned (behind its conftest.py: one of its fixtures
        of the same name wins, see loading.fixtures_reach), then its conftest.py.
        ``without``: a loaded module left out (its own chain, which it ends)."""
        key = (folder, without)
        cached = self._chains.get(key)
        if cached is None:
            parent = os.path.dirname(folder)
            chain = self._chain(parent, without) if parent != folder else ()
            for module in self._joining_at(folder):
                if module != without:
                    chain = self._extended(chain, module)
            chain = self._extended(chain, os.path.join(folder, "conftest.py"))
            cached = self._chains[key] = chain
        return cached

    def _joining_at(self, folder: str) -> list[str]:
        """The loaded modules whose values join the chain at ``folder``: each at the
        outermost of the folders it serves (one below another adds nothing). A conftest.py
        serves its own folder as a conftest.py, where its chain takes it anyway (another
        conftest.py below that star-imports it: ``from ..conftest import *``)."""
        if self._joining is None:
            self._joining = {}
            for module, folders in self.reach.items():
                widest = list(folders)
                if os.path.basename(module) == "conftest.py":
                    widest.append(os.path.dirname(module))
                for here in folders:
                    if not any(other != here and within(here, other) for other in widest):
                        self._joining.setdefault(here, []).append(module)
        return self._joining.get(folder, [])

    def _extended(self, chains: tuple[tuple[str, tuple[Any, ...]], ...], path: str) -> tuple[tuple[str, tuple[Any, ...]], ...]:
        """``chains`` with what each transform's survey returned for ``path`` (if anything) at the end."""
        entries = []
        for transform in self.transforms:
            chain = next((found for name, found in chains if name == transform.name), ())
            value = self.found[transform.name].get(path)
            if value is not None:
                chain = (*chain, value)
            if chain:
                entries.append((transform.name, chain))
        return tuple(entries)

    def serves(self, conftest: str) -> list[str]:
        """The resolved folders whose tests the fixtures of the resolved conftest.py or
        module loaded as a plugin ``conftest`` serve: a conftest.py's own folder; a plugin
        module's, where it is loaded from (loading.fixtures_reach); a conftest.py that
        another star-imports, its own and the importer's."""
        folder = os.path.dirname(conftest)
        loaded = self.reach.get(conftest)
        if not loaded:
            return [folder]
        if os.path.basename(conftest) != "conftest.py":
            return loaded
        return [folder, *(other for other in loaded if not within(other, folder))]

    def below(self, conftest: str) -> tuple[tuple[str, Any], ...]:
        """FileFacts.below for the resolved conftest.py or plugin module ``conftest``: per
        transform that gathers, its :meth:`Transform.gather` of the values surveyed in the
        other modules at or below the folders it serves (:meth:`serves`)."""
        folders = tuple(folder.rstrip(os.sep) + os.sep for folder in self.serves(conftest))
        entries = []
        for transform in self.transforms:
            values = [
                value for path, value in self.found[transform.name].items()
                if path.startswith(folders) and path != conftest
                and (transform.gathers_conftests or os.path.basename(path) != "conftest.py")
            ]
            gathered = transform.gather(values)
            if gathered is not None:
                entries.append((transform.name, gathered))
        return tuple(entries)

    def planned(self, facts: FileFacts) -> FileFacts:
        """``facts`` with the configuration settings the selected transforms will ask for,
        as their survey of this file's chain tells (Transform.planned_settings)."""
        return planned_facts(facts, self.transforms)

    def entries_for(self, real: str) -> tuple[tuple[str, tuple[Any, ...]], ...]:
        """FileFacts.survey for the resolved file ``real``."""
        if real in self.reach and os.path.basename(real) != "conftest.py":
            # a module loaded as a plugin: its own value last, once
            return self._extended(self._chain(os.path.dirname(real), real), real)
        chains = self._chain(os.path.dirname(real))
        if os.path.basename(real) == "conftest.py":
            return chains  # its own value is the last of its folder's
        return self._extended(chains, real)


def _surveyed_bytes(transforms: Sequence[type[Transform]], path: str, data: bytes, facts: FileFacts) -> list[tuple[str, Any]]:
    """:func:`surveyed` of one file's bytes (nothing for a file that cannot be decoded)."""
    try:
        text, _ = decode(data, path)
    except SourceError:
        return []
    return surveyed(transforms, text, facts)


def survey_batch(batch: list[Task]) -> list[list[tuple[str, Any]]]:
    """In a worker: the survey of each file of ``batch``, in order."""
    return [_surveyed_bytes([BY_NAME[name] for name in names], path, data, facts) for _real, path, data, names, facts in batch]


def survey_needs(transforms: Sequence[type[Transform]], conftest: bool) -> tuple[bytes, ...]:
    """Strings at least one of which every file one of ``transforms`` surveys holds (as a
    conftest.py or plugin module, or not): each one's Triggers.survey_needs, the strings
    the scan looks for anyway preferred; one containing another of them adds nothing."""
    needs = list(dict.fromkeys(t for s in transforms for t in s.triggers.survey_needs(conftest, ROOTS)))
    return tuple(t for t in needs if not any(other != t and other in t for other in needs))


def planned_facts(facts: FileFacts, transforms: Sequence[type[Transform]]) -> FileFacts:
    """``facts`` whose project reads the configuration as the run will leave it: what each
    transform that applies to the file plans to set (Transform.planned_settings)."""
    if not facts.survey:
        return facts
    settings: dict[str, str] = {}
    for transform in transforms:
        found = facts.surveyed(transform.name)
        if found and transform.applies_to(facts):
            for key, value in transform.planned_settings(found, facts.project).items():
                settings.setdefault(key, value)
    if not settings:
        return facts
    project = facts.project.planned(settings)
    return facts if project is facts.project else dataclasses.replace(facts, project=project)


def survey_facts(path: Path, transforms: Sequence[type[Transform]], resolver: ProjectResolver) -> FileFacts:
    """One file's facts as a run over just that file would give them (the survey included)."""
    facts = resolver.facts_for_file(path)
    survey = Survey(transforms, resolver)
    real = str(resolved(path))
    try:
        survey.look_at(real, str(path), path.read_bytes())
    except OSError:
        pass
    survey.conftests_above([(os.path.dirname(real), facts.project)], {real})
    survey.settle()
    entries = survey.entries_for(real)
    return survey.planned(dataclasses.replace(facts, survey=entries)) if entries else facts
