"""The engine: paths → a scan that reads each file once → survey → per-file rewrite → the
planned result checked, then written → config edits → results.

- ``source``: one module's text through the selected transforms (no I/O);
- ``prefilter``: which transforms can change a file, from its bytes alone;
- ``files``: reading, decoding, parsing, atomic writes, display paths;
- ``process``: one file, read to rewritten (not written);
- ``survey``: the cross-file facts gathered before rewriting;
- ``scan``: each file read once, and each project's plan;
- ``config_requests``: merging what the transforms ask of the pytest configuration;
- ``conftest_requests``, ``function_branches``: placing and merging what they ask of
  conftest.py files;
- ``plan_check``: the whole project as the run would leave it, checked before anything is
  written: imports of project names resolve, requested fixtures are provided; what an edit
  breaks is withdrawn, what is left is noted;
- ``writes``: the plan settled (requests placed, checked) and written;
- ``requirement_edits``: raising the project's requirement to the target;
- ``pipeline``: a whole run: discover, scan, survey, process, check and write, configure.

It knows no plugin's fixtures, hooks or versions: what it decides on them it asks of the
project model (``project``, ``pytest_model``) or of the transforms (``Transform``'s hooks,
the requests they return); ``tests/test_layout.py`` checks it.
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
