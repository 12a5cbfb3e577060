"""What a transform declares about the bytes of the files it can change (checked without parsing).

Most files of a big tree need nothing. The engine reads each file once and asks these
declarations before it parses anything: a file none of whose selected transforms' triggers
occur in it is never parsed (see ``engine/prefilter.py``, which also derives the few
"gate" strings it asks first).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..present import Present

#: An alternative of ``Triggers.any``: one string, or a tuple of strings that must all occur.
Alternative = bytes | tuple[bytes, ...]


@dataclass(frozen=True)
class Triggers:
    """The byte strings a transform's work depends on.

    - ``all``: must all occur in a file the transform can change, the rarest in test code
      first (it is checked first, and it is what the pre-filter's gate prefers);
    - ``any``: when not empty, at least one alternative must occur as well;
    - ``words``: must occur as whole identifiers (``event_loop`` but not
      ``set_event_loop``), checked after the others;
    - ``produces``: strings the transform may write, so that later transforms whose
      triggers need them run too (``sync-to-async`` writes the ``async def`` that
      ``asyncio-marker`` must see);
    - ``project``: any one of them shows that a file belongs to a project this transform
      has project-level work in (``Transform.project_requests``);
    - ``survey``: must all occur in a file for ``Transform.survey`` to look at it (empty:
      the transform surveys nothing; ``(b"",)``: every file);
    - ``survey_also``: a second such set (a file holding all of either is surveyed), for a
      survey that reads two kinds of file (conftest.py files, and test modules);
    - ``survey_any``: when not empty, at least one of them must occur as well for the
      survey to look at a file (a survey that finds something only where one of a few
      names is spelled, but must see files that do not name its plugin);
    - ``survey_module_any``: when not empty, a module pytest does not load as a conftest.py
      or a plugin is surveyed only where one of them occurs as well (a survey that finds
      something in such a module only where it names its library: one search rules out
      most of a tree's test modules, where ``survey_any`` would take several).
    """

    all: tuple[bytes, ...] = ()
    any: tuple[Alternative, ...] = ()
    words: tuple[bytes, ...] = ()
    produces: tuple[bytes, ...] = ()
    project: tuple[bytes, ...] = ()
    survey: tuple[bytes, ...] = ()
    survey_also: tuple[bytes, ...] = ()
    survey_any: tuple[bytes, ...] = ()
    survey_module_any: tuple[bytes, ...] = ()

    def surveys(self, data: bytes | Present, conftest: bool = True) -> bool:
        """Whether ``Transform.survey`` looks at a file with these bytes (or their
        :class:`~migrate_async.present.Present`, which each transform's survey asks in turn);
        ``conftest``: pytest loads it as a conftest.py or a plugin (or that is not known)."""
        # (plain loops: this runs for every surveying transform on every file of the tree)
        if not conftest and self.survey_module_any:
            for t in self.survey_module_any:
                if t in data:
                    break
            else:
                return False
        if self.survey_any:
            for t in self.survey_any:
                if t in data:
                    break
            else:
                return False
        for wanted in (self.survey, self.survey_also):
            if wanted:
                for t in wanted:
                    if t not in data:
                        break
                else:
                    return True
        return False

    def survey_needs(self, conftest: bool, cheap: tuple[bytes, ...] = ()) -> tuple[bytes, ...]:
        """Strings at least one of which occurs in every file :meth:`surveys` lets through
        (with this ``conftest``); of the ways to say so, the one with fewest strings that
        contain none of ``cheap`` (strings looked for in every file anyway). Empty: no file."""
        def pick(wanted: tuple[bytes, ...]) -> bytes:  # all of them occur: one stands for them
            return next((t for t in wanted if any(c in t for c in cheap)), wanted[0])

        options = [self.survey_module_any] if not conftest and self.survey_module_any else []
        if self.survey_any:
            options.append(self.survey_any)
        options.append(tuple(pick(wanted) for wanted in (self.survey, self.survey_also) if wanted))
        # (a tie goes to the narrower: survey_module_any, then survey_any)
        return min(options, key=lambda option: sum(not any(c in t for c in cheap) for t in option))

    def matches(self, data: bytes | Present, produced: frozenset[bytes] | set[bytes] = frozenset()) -> bool:
        """Could a file with these bytes (plus the strings earlier transforms' edits
        produced) be changed? Worked out from the declaration alone, as the gate is."""
        # plain loops: this runs for every transform on every file of the tree
        for t in self.all:
            if t not in data and t not in produced:
                return False
        if self.any:
            for t in self.any:
                if isinstance(t, bytes):
                    if t in data or t in produced:
                        break
                elif all(part in data or part in produced for part in t):
                    break
            else:
                return False
        for t in self.words:
            if t not in produced and not has_word(data, t):
                return False
        return True


def has_word(data: bytes | str | Present, word: bytes | str) -> bool:
    """``word`` occurs in ``data`` (bytes, or a text with ``word`` as a str) as a whole
    identifier: not only inside a longer one (``get_event_loop`` does not hold
    ``event_loop``)."""
    if isinstance(data, Present):
        if word not in data:
            return False
        data = data.data
    underscore = "_" if isinstance(data, str) else b"_"
    start = data.find(word)  # type: ignore[arg-type]
    while start != -1:
        end = start + len(word)
        before = data[start - 1 : start] if start else data[:0]
        after = data[end : end + 1]
        if not (before.isalnum() or before == underscore) and not (after.isalnum() or after == underscore):
            return True
        start = data.find(word, start + 1)  # type: ignore[arg-type]
    return False
