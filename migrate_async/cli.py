"""The command line: parse options, call the engine, render the results. No transform logic."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .engine import RunOptions, RunRefused, resolve_selection, run, tune_gc
from .goldens import first_pair
from .project import NEWEST_TARGET, UsageProblem, format_version, parse_version
from .project.settings import load_settings
from .report import write_github, write_json, write_text
from .transforms import BY_NAME, REGISTRY
from .transforms.examples import document

EXIT_OK = 0
EXIT_PENDING = 1
EXIT_USAGE = 2
EXIT_UNREADABLE = 3

app = typer.Typer(
    name="migrate-async",
    help="Upgrade async pytest suites from legacy pytest-asyncio habits to pytest-asyncio 1.x.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


class Colour(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


PathsArg = Annotated[
    Optional[list[Path]],
    typer.Argument(help="Files or folders (default: the current folder).", show_default=False),
]
SelectOpt = Annotated[
    Optional[list[str]],
    typer.Option("--select", help="Run only these transforms (repeatable or comma-separated).", show_default=False),
]
IgnoreOpt = Annotated[
    Optional[list[str]],
    typer.Option("--ignore", help="Skip these transforms (repeatable or comma-separated).", show_default=False),
]
TargetOpt = Annotated[
    Optional[str],
    typer.Option(
        "--target-version",
        help=f"The pytest-asyncio version to write for [default: the floor of the project's pytest-asyncio pins when they admit only 1.x, else {format_version(NEWEST_TARGET)}].",
        show_default=False,
    ),
]
JobsOpt = Annotated[
    Optional[int],
    typer.Option("--jobs", "-j", help="Worker processes (default: the number of CPUs).", show_default=False, min=1),
]
ExcludeOpt = Annotated[
    Optional[list[str]],
    typer.Option("--exclude", help="Skip paths matching this gitignore-style glob (repeatable).", show_default=False),
]
FormatOpt = Annotated[
    OutputFormat,
    typer.Option("--format", help="Output format: text, json (one document), github (Actions annotations)."),
]
ForceExcludeOpt = Annotated[
    bool,
    typer.Option(
        "--force-exclude",
        help="Apply --exclude, .gitignore and the test-code filter to files named on the command line too (for pre-commit).",
    ),
]
ExitOnChangeOpt = Annotated[
    bool,
    typer.Option("--exit-non-zero-on-change", help="Exit 1 when there are changes (for pre-commit and CI)."),
]
ColourOpt = Annotated[Colour, typer.Option("--color", help="Colour the output.")]
AllNotesOpt = Annotated[
    bool,
    typer.Option(
        "--all-notes",
        help="Print every note in full (by default a sort of note given more than 3 times shows its first 2 and a count).",
    ),
]
AllFilesOpt = Annotated[
    bool,
    typer.Option("--all-files", help="Rewrite every Python file, not only test code."),
]


def _usage_error(message: str) -> typer.Exit:
    sys.stderr.write(f"migrate-async: error: {message}\n")
    return typer.Exit(EXIT_USAGE)


def _split(values: Optional[list[str]]) -> Optional[list[str]]:
    if values is None:
        return None
    names = [part.strip() for value in values for part in value.split(",")]
    return [n for n in names if n]


def _colour_enabled(choice: Colour, stream) -> bool:
    if choice is Colour.always:
        return True
    if choice is Colour.never or os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def _execute(
    command: str,
    paths: Optional[list[Path]],
    select: Optional[list[str]],
    ignore: Optional[list[str]],
    target_version: Optional[str],
    jobs: Optional[int],
    exclude: Optional[list[str]],
    output_format: OutputFormat,
    colour: Colour,
    all_files: bool,
    force_exclude: bool = False,
    exit_non_zero_on_change: bool = False,
    all_notes: bool = False,
) -> None:
    paths = paths or [Path(".")]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise _usage_error(f"no such file or directory: {', '.join(missing)}")
    try:
        settings = load_settings(paths[0])
        asked = target_version or settings.get("target-version")
        target = parse_version(asked) if asked else None  # None: from each project's pins
        target_source = "--target-version" if target_version else "[tool.migrate-async] target-version"
    except UsageProblem as exc:
        raise _usage_error(str(exc)) from None
    select = _split(select) if select is not None else settings.get("select")
    ignore = _split(ignore) if ignore is not None else settings.get("ignore")
    exclude = exclude if exclude else settings.get("exclude", [])
    all_files = all_files or bool(settings.get("all-files", False))
    try:
        transforms = resolve_selection(select, ignore or ())
    except KeyError as exc:
        unknown = ", ".join(exc.args[0])
        valid = ", ".join(t.name for t in REGISTRY)
        raise _usage_error(f"unknown transform {unknown}; valid names: {valid}") from None
    except ValueError as exc:
        raise _usage_error(str(exc)) from None
    if not transforms:
        raise _usage_error("no transform selected")
    options = RunOptions(
        transforms=transforms,
        target=target,
        target_source=target_source,
        write=command == "apply",
        jobs=jobs or os.cpu_count() or 1,
        exclude=exclude or [],
        all_files=all_files,
        force_exclude=force_exclude,
    )
    progress = _Progress(enabled=output_format is OutputFormat.text and sys.stderr.isatty())
    tune_gc()
    try:
        result = run(paths, options, progress.update)
    except RunRefused as exc:
        progress.close()
        raise _usage_error(str(exc)) from None
    except KeyboardInterrupt:
        progress.close()
        sys.stderr.write("migrate-async: interrupted; files already written are complete, the rest untouched\n")
        raise typer.Exit(130) from None
    progress.close()

    if output_format is OutputFormat.json:
        write_json(result, command, target or NEWEST_TARGET, sys.stdout)
    elif output_format is OutputFormat.github:
        write_github(result, command, sys.stdout, sys.stderr)
    else:
        write_text(
            result, command, sys.stdout, sys.stderr,
            colour=_colour_enabled(colour, sys.stdout),
            colour_err=_colour_enabled(colour, sys.stderr),
            all_notes=all_notes,
        )
    if result.all_errors:
        raise typer.Exit(EXIT_UNREADABLE)
    if command == "check" and (result.changed_files or any(note.left for note in result.all_notes)):
        raise typer.Exit(EXIT_PENDING)  # a change pending, or a migration left unfinished
    if exit_non_zero_on_change and result.changed_files:
        raise typer.Exit(EXIT_PENDING)
    raise typer.Exit(EXIT_OK)


class _Progress:
    """A rich progress bar on stderr, only on a terminal and only for long runs."""

    MIN_FILES = 200

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar = None
        self._task = None
        self._changed = 0

    def update(self, done: int, total: int, outcome) -> None:
        if not self.enabled or total < self.MIN_FILES:
            return
        if outcome.changed:
            self._changed += 1
        if self._bar is None:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(
                TextColumn("migrate-async"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[changed]} changed"), TimeElapsedColumn(),
                console=Console(stderr=True), transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("files", total=total, changed=0)
        self._bar.update(self._task, total=total, completed=done, changed=self._changed)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def _common(command: str):
    def handler(
        paths: PathsArg = None,
        select: SelectOpt = None,
        ignore: IgnoreOpt = None,
        target_version: TargetOpt = None,
        jobs: JobsOpt = None,
        exclude: ExcludeOpt = None,
        output_format: FormatOpt = OutputFormat.text,
        color: ColourOpt = Colour.auto,
        all_files: AllFilesOpt = False,
        force_exclude: ForceExcludeOpt = False,
        exit_non_zero_on_change: ExitOnChangeOpt = False,
        all_notes: AllNotesOpt = False,
    ) -> None:
        _execute(
            command, paths, select, ignore, target_version, jobs, exclude, output_format, color, all_files,
            force_exclude=force_exclude, exit_non_zero_on_change=exit_non_zero_on_change, all_notes=all_notes,
        )

    return handler


app.command("diff", help="Show a unified diff of every change (code and config files); write nothing.")(_common("diff"))
app.command("apply", help="Write the changes in place.")(_common("apply"))
app.command("check", help="Write nothing; list the files that would change; exit 1 if any, or if anything is left unfinished.")(_common("check"))


@app.command("list", help="Every transform: name, on by default or not, summary.")
def list_transforms() -> None:
    width = max(len(t.name) for t in REGISTRY)
    for transform in REGISTRY:
        default = "default" if transform.default else "opt-in "
        sys.stdout.write(f"{transform.name:<{width}}  {default}  {transform.summary}\n")


@app.command("explain", help="What a transform does, why, and its before/after examples.")
def explain(name: Annotated[str, typer.Argument(help="A transform name (see 'list').")]) -> None:
    transform = BY_NAME.get(name)
    if transform is None:
        raise _usage_error(f"unknown transform {name}; valid names: {', '.join(t.name for t in REGISTRY)}")
    # the prose and the examples are in the package (an installed wheel has them); the
    # golden pair only where fixtures_before/ sits next to the source, as in a checkout
    sys.stdout.write(document(transform))
    sys.stdout.write(f"\nOn by default: {'yes' if transform.default else 'no (select it with --select ' + name + ')'}\n")
    pair = first_pair(name)
    if pair is not None:
        before, after = pair
        sys.stdout.write(f"\nGolden example (fixtures_before/{name} → fixtures_after/{name}):\n")
        sys.stdout.write("\n--- before\n" + before + "\n--- after\n" + after)


def _version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(f"migrate-async {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", help="Show the version and exit.", callback=_version_callback, is_eager=True)
    ] = False,
) -> None:
    """Upgrade async pytest suites from legacy pytest-asyncio habits to pytest-asyncio 1.x."""


def main() -> None:
    app(prog_name="migrate-async")
