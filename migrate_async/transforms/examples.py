"""Runnable examples: each transform's Before/After as data, and its documentation made from them.

A transform declares ``examples = (Example(...), ...)``: what a one-file project looks like
before and after ``migrate-async apply --select <name>``. The test-suite runs every example
(tests/test_examples.py) and compares the result exactly, so the examples cannot drift from
what the code does, as the hand-written Before/After sections of the docstrings did. An
example whose ``after`` is ``before`` (the default) says what the transform must leave alone.

:func:`document` joins the transform's prose (What, Why, Safety: ``docs/<name>.txt``) and its
examples into the text ``migrate-async explain`` prints. The examples are Python data, so they ship in the
wheel; the golden pairs under fixtures_before/ do not.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .transform import Transform

#: The file an example is, unless it says otherwise: a test module of the project.
DEFAULT_PATH = "test_example.py"


def _code(text: str) -> str:
    """Source text written indented in a triple-quoted string, as the file holds it: the
    common indentation and the line break after the opening quotes removed."""
    return textwrap.dedent(text).lstrip("\n")


@dataclass
class Example:
    """One file of a one-file project, before and after the transform runs alone on it.

    The project is that file and a ``pytest.ini`` that sets ``asyncio_mode = <mode>``;
    ``path`` is the file's name in it (``conftest.py`` next to ``pytest.ini`` is the root
    conftest). ``config`` holds the lines of ``pytest.ini`` that the run adds or changes,
    one per line (``asyncio_default_fixture_loop_scope = session``); empty when it leaves
    the configuration alone. ``target`` is the ``--target-version`` (the newest when None).
    ``before`` and ``after`` may be written indented: they are dedented.
    """

    before: str
    after: str | None = None  # None: the file must stay as it is
    title: str = ""
    mode: str = "strict"
    target: str | None = None
    path: str = DEFAULT_PATH
    config: str = ""

    def __post_init__(self) -> None:
        before = _code(self.before)
        self.before = before
        self.after = before if self.after is None else _code(self.after)
        self.config = _code(self.config).strip("\n")
        if self.mode not in ("strict", "auto"):
            raise ValueError(f"mode must be 'strict' or 'auto', not {self.mode!r}")

    @property
    def rewrites(self) -> bool:
        """Whether the transform changes anything here (the file or the configuration)."""
        return self.after != self.before or bool(self.config)

    def setting(self) -> str:
        """How the example's project differs from the usual one (strict mode, the newest
        target, a test module), as a reader needs it said; empty when it does not."""
        said = []
        if self.mode != "strict":
            said.append(f"asyncio_mode = {self.mode}")
        if self.target is not None:
            said.append(f"--target-version {self.target}")
        if self.path != DEFAULT_PATH:
            said.append(self.path + (" next to pytest.ini" if self.path == "conftest.py" else ""))
        return ", ".join(said)


def _block(text: str, indent: str = "    ") -> str:
    return textwrap.indent(text.rstrip("\n"), indent, lambda line: bool(line.strip())) + "\n"


#: The line above the examples.
EXAMPLES_HEADING = "Examples (each one is run by the test-suite; a test module in strict mode unless said):"


def render_examples(examples: Any) -> str:
    """The Before/After text of ``examples`` (what :func:`document` appends to the prose)."""
    if not examples:
        return "Examples: none declared.\n"
    parts = [EXAMPLES_HEADING + "\n"]
    for example in examples:
        heading = example.title
        if example.setting():
            heading += f" ({example.setting()})" if heading else example.setting()
        if example.rewrites:
            text = f"Example: {heading}\n" if heading else ""
            text += "Before:\n" + _block(example.before)
            same = example.after == example.before
            text += "\nAfter:\n" + ("    (the file stays as it is)\n" if same else _block(example.after))
            if example.config:
                text += "\n" + _block("# pytest.ini: set by the run\n" + example.config)
        else:
            text = f"Left as it is: {heading}\n" if heading else "Left as it is:\n"
            text += _block(example.before)
        parts.append(text)
    return "\n".join(parts)


def prose(transform: type[Transform]) -> str:
    """The hand-written part of a transform's documentation: What, Why and Safety, in
    ``transforms/docs/<name>.txt`` (package data, so an installed wheel has it); the
    transform's summary when there is none."""
    doc = resources.files(__package__).joinpath("docs", f"{transform.name}.txt")
    try:
        text = doc.read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        text = transform.summary
    return text.strip() + "\n"


def document(transform: type[Transform]) -> str:
    """A transform's documentation: the prose of its module, then its examples."""
    return prose(transform) + "\n" + render_examples(transform.examples)
