"""What a pytest-asyncio release brings with it when it is installed, as far as a project's
own declarations can clash with it.

- pytest-asyncio 0.26 and later require ``typing-extensions>=4.12`` (below Python 3.10; from
  1.3 on, below Python 3.13). A project that pins typing-extensions lower (aiogram 3.0.0:
  ``typing-extensions~=4.7.1`` at run time) cannot install the migrated pins together with
  its own: pip stops with ResolutionImpossible.
- pytest-asyncio 1.x needs pytest 8 or newer, on which some plugins a project may declare do
  not work at all: pytest-lazy-fixture (its last release, 0.6.3) fails at collection with
  ``AttributeError: 'CallSpec2' object has no attribute 'funcargs'``.

The versions are those of each release's published metadata (``Requires-Dist``).
"""

from __future__ import annotations

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

#: pytest-asyncio's requirement on typing-extensions: (the first release that has it, the
#: Python below which it applies), newest first; the minimum it asks.
TYPING_EXTENSIONS = "typing-extensions"
TYPING_EXTENSIONS_NEEDED = ((Version("1.3"), Version("3.13")), (Version("0.26"), Version("3.10")))
TYPING_EXTENSIONS_MINIMUM = Version("4.12")

#: the first pytest-asyncio release that needs pytest 8 (``pytest>=8.2``)
PYTEST_8_FROM = Version("0.24")

#: plugins that do not work on pytest 8 (which pytest-asyncio 1.x needs) → what to use instead
BROKEN_ON_PYTEST_8 = {
    "pytest-lazy-fixture": (
        "its last release (0.6.3) fails at collection on pytest 8, which pytest-asyncio 1.x needs "
        "(AttributeError: 'CallSpec2' object has no attribute 'funcargs'): replace it with "
        "pytest-lazy-fixtures (pytest_lazy_fixtures.lf) or request.getfixturevalue()"
    ),
}


def typing_extensions_below(release: Version) -> Version | None:
    """The Python below which a pytest-asyncio of at least ``release`` requires
    typing-extensions >= TYPING_EXTENSIONS_MINIMUM (None: it does not)."""
    return next((python for first, python in TYPING_EXTENSIONS_NEEDED if release >= first), None)


def admits_from(specifier: SpecifierSet, minimum: Version) -> bool:
    """Whether a specifier set admits some release at ``minimum`` or newer: tried at
    ``minimum``, at the releases it names from there on, and just above each of them."""
    probes = {minimum, Version(f"{minimum.major}.{minimum.minor + 1}"), Version(f"{minimum.major + 1}.0")}
    for spec in specifier:
        try:
            named = Version(spec.version.removesuffix(".*"))
        except InvalidVersion:
            continue
        if named >= minimum:
            # (just above it: its release with one more part, above its pre-, post- and
            # dev-releases too; ``5.0a0.1`` is no version)
            probes.update({named, Version(".".join(str(part) for part in (*named.release, 1)))})
    return any(specifier.contains(probe, prereleases=True) for probe in probes)
