"""The engine: paths → a scan that reads each file once → survey → per-file rewrite → config
edits → results.

- ``source``: one module's text through the selected transforms (no I/O);
- ``prefilter``: which transforms can change a file, from its bytes alone;
- ``files``: reading, decoding, parsing, atomic writes, display paths;
- ``process``: one file, read to written;
- ``survey``: the cross-file facts gathered before rewriting;
- ``config_requests``: merging what the transforms ask of the pytest configuration;
- ``pipeline``: a whole run: discover, scan, survey, process, configure.
"""

from ..paths import display_path
from .files import SourceError, atomic_write, decode, parse
from .pipeline import RunOptions, run, tune_gc
from .prefilter import candidate_transforms, gate_strings
from .process import process_file
from .results import ConfigOutcome, FileOutcome, RunRefused, RunResult
from .source import (
    SourceResult,
    migrate_source,
    migrate_tree,
    parse_module,
    resolve_selection,
)
from .survey import survey_facts

__all__ = [
    "ConfigOutcome",
    "FileOutcome",
    "RunOptions",
    "RunRefused",
    "RunResult",
    "SourceError",
    "SourceResult",
    "atomic_write",
    "candidate_transforms",
    "decode",
    "display_path",
    "gate_strings",
    "migrate_source",
    "migrate_tree",
    "parse",
    "parse_module",
    "process_file",
    "resolve_selection",
    "run",
    "survey_facts",
    "tune_gc",
]
