"""Benchmark migrate-async against its floors, on the same files, in one run.

    python benchmarks/bench.py                 # generated corpus of 20,000 test files
    python benchmarks/bench.py --files 2000    # a quicker one
    python benchmarks/bench.py --rounds 2      # everything twice, in turn; the fastest of each
    python benchmarks/bench.py /usr/lib/python3.11   # any real tree (read-only: uses `diff`)
    python benchmarks/bench.py --corpus project --against /work/main   # the project-shaped tree,
                                               # this checkout and another one, in turn
    python benchmarks/bench.py --project TREE  # a real tree as a project (its test code only)
    python benchmarks/bench.py --issue --files 2000 --against /work/main TREE   # issue 26's
                                               # numbers, both checkouts, one run, one summary

Prints, for each corpus: the read-only floor (read every file), LibCST parse + regenerate
of the files that match a trigger (and of every file, with --full-baseline),
`migrate-async diff --jobs 1` on the corpus, on a copy of its matching files alone, on a copy
of the files that need nothing alone and on an empty folder (start-up), `--jobs 2`, peak
memory, and the ratios the targets are stated in, in CPU seconds and clock seconds.
The project-shaped tree (corpora.make_project: configuration, a package, a conftest.py
chain, most test modules needing nothing) and ``--project TREE`` print LibCST parse +
regenerate of the matching test files (the floor), ``diff --jobs 1`` and ``--jobs 2``,
the ratio of each to the floor and of one to the other, and each one's peak memory.
Machines are shared and noisy (here the same work took 15-35% longer from one minute to
the next): compare ratios from one run, not seconds across runs.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import libcst as cst

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from corpora import make_corpus, make_project  # noqa: E402

from migrate_async.engine import candidate_transforms, resolve_selection  # noqa: E402
from migrate_async.project import FileFacts, ProjectResolver, is_test_code  # noqa: E402


class Took(NamedTuple):
    wall: float  # seconds on the clock
    cpu: float  # seconds of CPU (user + system): steadier on a shared machine
    rss: float = 0.0  # peak resident memory of the largest process, MB (commands only)
    main: float = 0.0  # of ``cpu``, the main process's (commands only): what workers cannot share


def timed(label: str, func) -> Took:
    took = quiet(func)
    show(label, took)
    return took


def quiet(func, *args) -> Took:
    start, start_cpu = time.perf_counter(), time.process_time()
    func(*args)
    return Took(time.perf_counter() - start, time.process_time() - start_cpu)


def show(label: str, took: Took) -> None:
    print(f"  {label:<44} {took.wall:8.2f} s  {took.cpu:8.2f} s CPU", flush=True)


def py_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if p.is_file())


def read_all(files: list[Path]) -> None:
    for path in files:
        path.read_bytes()


def parse_regen(files: list[Path]) -> None:
    for path in files:
        try:
            module = cst.parse_module(path.read_bytes())
        except Exception:  # noqa: BLE001 - unparsable files cost what they cost
            continue
        module.bytes  # noqa: B018


def matching(files: list[Path]) -> list[Path]:
    transforms = resolve_selection(None)
    facts = FileFacts()
    return [p for p in files if candidate_transforms(p.read_bytes(), facts, transforms)]


# Runs migrate-async in this process and says what it cost: its clock time, the CPU time
# of this (the main) process and of its workers apart, and the peak resident memory of the
# largest of them. The main process's CPU is what --jobs cannot share out.
WRAPPER = """\
import contextlib, io, json, os, resource, runpy, sys, time
sys.argv = ["migrate-async", *sys.argv[1:]]
err, rc = io.StringIO(), 0
start = time.perf_counter()
with open(os.devnull, "w") as out, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
    try:
        runpy.run_module("migrate_async", run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        rc = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
wall = time.perf_counter() - start
me, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "main": me.ru_utime + me.ru_stime, "workers": workers.ru_utime + workers.ru_stime,
                  "rss": max(me.ru_maxrss, workers.ru_maxrss) / 1024, "rc": rc, "err": err.getvalue()[-2000:]}))
"""


def run_cli(root: Path, jobs: int, extra: list[str], pythonpath: Path | None = None) -> Took:
    """``migrate-async diff`` on ``root`` (of the checkout at ``pythonpath``: this one by default)."""
    command = ["diff", str(root.resolve()), "--jobs", str(jobs), *extra]
    env = dict(os.environ, PYTHONPATH=str(pythonpath or HERE.parent))
    # -P: the folder this is run from does not go first on sys.path (run from a checkout,
    # its package would shadow the one PYTHONPATH names)
    proc = subprocess.run([sys.executable, "-P", "-c", WRAPPER, *command], capture_output=True, text=True, env=env)
    took = json.loads(proc.stdout.splitlines()[-1])
    if took["rc"] not in (0, 1, 3):
        print(took["err"])
        raise SystemExit(f"migrate-async failed with {took['rc']}")
    return Took(took["wall"], took["main"] + took["workers"], took["rss"], took["main"])


#: a pure-Python loop of about a second: what two cores give two such processes is
#: the most ``--jobs 2`` could give on this machine at that moment
SPIN = "n = 0\nfor i in range(8_000_000):\n    n += i\n"


def spin(copies: int) -> Took:
    """``copies`` processes running SPIN at once: the clock time until the last ends."""
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(copies)]
    for proc in procs:
        proc.wait()
    return Took(time.perf_counter() - start, 0.0)


def copy_files(root: Path, chosen: list[Path], target: Path) -> None:
    """Some files of a tree alone, at the same relative paths, with the root's pytest config."""
    for config in ("pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini", ".gitignore"):
        if (root / config).is_file():
            shutil.copy2(root / config, target / config)
    if (root / ".git").is_dir():
        (target / ".git").mkdir(exist_ok=True)
    for path in chosen:
        dest = target / path.relative_to(root)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dest)


def fastest(runs: list[Took]) -> Took:
    """The fastest of several measurements (the machine's speed drifts over minutes)."""
    best = min(runs, key=lambda r: r.cpu)
    return Took(min(r.wall for r in runs), best.cpu, max(r.rss for r in runs), best.main)


def bench(root: Path, label: str, extra: list[str], full_baseline: bool = False, rounds: int = 1) -> None:
    files = py_files(root)
    size = sum(p.stat().st_size for p in files) / 1e6
    print(f"\n{label}: {len(files)} files, {size:.1f} MB, {os.cpu_count()} CPUs, best of {rounds}")
    matched = matching(files)
    plain = sorted(set(files) - set(matched))
    print(f"  files matching a trigger: {len(matched)} ({100 * len(matched) / max(len(files), 1):.1f}%)")
    with tempfile.TemporaryDirectory(prefix="migrate-async-bench-") as tmp:
        alone, nothing, empty = Path(tmp, "matching"), Path(tmp, "nothing"), Path(tmp, "empty")
        for folder in (alone, nothing, empty):
            folder.mkdir()
        copy_files(root, matched, alone)
        copy_files(root, plain, nothing)
        copy_files(root, [], empty)  # the configuration alone: what start-up reads
        # One round measures everything once, so that every measurement sees the same drift;
        # every other round goes through the list backwards, so that no measurement always
        # comes after the same long one (this VM slows down under sustained load).
        rows: dict[str, list[Took]] = {}
        for turn in range(rounds):
            order = (
                ("floor", lambda: quiet(read_all, files)),
                ("floor_plain", lambda: quiet(read_all, plain)),
                ("libcst", lambda: quiet(parse_regen, matched)),
                ("one", lambda: run_cli(root, 1, extra)),
                ("only", lambda: run_cli(alone, 1, extra)),
                ("nothing", lambda: run_cli(nothing, 1, extra)),
                ("start", lambda: run_cli(empty, 1, extra)),
                ("two", lambda: run_cli(root, 2, extra)),
            )
            for name, measure in order if turn % 2 == 0 else reversed(order):
                rows.setdefault(name, []).append(measure())
    best = {name: fastest(runs) for name, runs in rows.items()}
    floor, libcst_matched, one, only, two = (best[n] for n in ("floor", "libcst", "one", "only", "two"))
    show("read every file (floor)", floor)
    libcst_all = timed("LibCST parse + regenerate, every file", lambda: parse_regen(files)) if full_baseline else None
    show("LibCST parse + regenerate, matching files", libcst_matched)
    show("migrate-async diff --jobs 1", one)
    show("  the matching files alone", only)
    show("  the files that need nothing alone", best["nothing"])
    show("  start-up alone (an empty folder)", best["start"])
    show("  read the files that need nothing (floor)", best["floor_plain"])
    show("migrate-async diff --jobs 2", two)
    print(f"  {'peak RSS, --jobs 1 / --jobs 2 (MB)':<44} {one.rss:8.0f} / {two.rss:.0f}")
    print("  ratios (CPU time; clock time in brackets):")

    def ratio(a: Took, b: Took, extra_b: Took | None = None, times: int = 0) -> str:
        cpu_b = b.cpu + (times * extra_b.cpu if extra_b else 0)
        wall_b = b.wall + (times * extra_b.wall if extra_b else 0)
        return f"{a.cpu / max(cpu_b, 1e-9):5.2f}  ({a.wall / max(wall_b, 1e-9):.2f})"

    def minus(a: Took, b: Took) -> Took:
        return Took(a.wall - b.wall, a.cpu - b.cpu)

    print(f"    diff / (3 x floor + diff of the matching files alone)   = {ratio(one, only, floor, 3)}   (target <= 1)")
    if plain:
        print(f"    files that need nothing, start-up taken off / their floor = "
              f"{ratio(minus(best['nothing'], best['start']), best['floor_plain'])}   (target <= 3)")
    if matched:
        print(f"    diff of the matching files / LibCST parse+regen of them = {ratio(only, libcst_matched)}   (target <= 1.5)")
        print(f"      the same, start-up taken off                          = "
              f"{ratio(minus(only, best['start']), libcst_matched)}")
    if libcst_all is not None:
        print(f"    diff --jobs 1 / LibCST parse+regen of every file         = {ratio(one, libcst_all)}")
    print(f"    speed-up --jobs 2 over --jobs 1 (clock)                  = {one.wall / two.wall:.2f}   "
          "(target >= 1.7 when every file matches)")


def load() -> str:
    """The machine's load averages (1, 5, 15 minutes): what the clock times competed with."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def test_files(root: Path, files: list[Path]) -> list[Path]:
    """The files the tool considers (test modules, conftest.py, files under test folders),
    as the project model sees them; .git, virtual environments and the like left out."""
    resolver = ProjectResolver(None, root)
    skip = {".git", ".tox", ".venv", "venv", "build", "node_modules", "__pycache__"}
    chosen = []
    for path in files:
        if skip.intersection(path.relative_to(root).parts):
            continue
        if is_test_code(path, resolver.facts_for_file(path).project):
            chosen.append(path)
    return chosen


def matching_tests(files: list[Path], root: Path) -> list[Path]:
    """The test files the pre-filter lets through, each with its project's facts."""
    transforms = resolve_selection(None)
    resolver = ProjectResolver(None, root)
    return [p for p in files if candidate_transforms(p.read_bytes(), resolver.facts_for_file(p), transforms)]


def bench_project(root: Path, label: str, rounds: int, against: tuple[str, Path] | None) -> dict[str, dict[str, float]]:
    """A tree as a project is migrated (test code only): LibCST parse + regenerate of the
    test files the pre-filter matches (the floor), ``diff --jobs 1`` and ``--jobs 2``, their
    ratios and peak memory; with ``against`` (a name, a folder holding its package), the
    same commands of that checkout, in turn."""
    files = py_files(root)
    tests = test_files(root, files)
    matched = matching_tests(tests, root)
    size = sum(p.stat().st_size for p in tests) / 1e6
    print(f"\n{label}: {len(files)} Python files, {len(tests)} of them test code ({size:.1f} MB), "
          f"{len(matched)} matching a trigger; best of {rounds}")
    print(f"  before: {load()}", flush=True)
    checkouts = [("this checkout", HERE.parent)] + ([against] if against else [])
    rows: dict[str, list[Took]] = {}
    for turn in range(rounds):
        order = [("libcst", lambda: quiet(parse_regen, matched)), ("spin|1", lambda: spin(1)), ("spin|2", lambda: spin(2))]
        for name, where in checkouts:
            order += [(f"{name}|1", lambda w=where: run_cli(root, 1, [], w)),
                      (f"{name}|2", lambda w=where: run_cli(root, 2, [], w))]
        for name, measure in order if turn % 2 == 0 else reversed(order):
            rows.setdefault(name, []).append(measure())
    print(f"  after:  {load()}")
    best = {name: fastest(runs) for name, runs in rows.items()}
    floor = best["libcst"]
    show("LibCST parse + regenerate, matching tests", floor)
    # (each spin measured with the others of its round: the best of each is the machine at its quietest)
    ceiling = 2 * best["spin|1"].wall / best["spin|2"].wall
    print(f"  two CPU-bound processes at once, speed-up over one after the other = {ceiling:5.2f}"
          "   (this machine's ceiling for --jobs 2 now; 2.0 on two free cores)")
    summary: dict[str, dict[str, float]] = {}
    for name, _where in checkouts:
        one, two = best[f"{name}|1"], best[f"{name}|2"]
        print(f"  {name}:")
        show("  migrate-async diff --jobs 1", one)
        show("  migrate-async diff --jobs 2", two)
        print(f"    {'peak RSS, --jobs 1 / --jobs 2 (MB)':<42} {one.rss:8.0f} / {two.rss:.0f}")
        print(f"    diff --jobs 1 / LibCST floor (CPU; clock)  = {one.cpu / floor.cpu:5.2f}  ({one.wall / floor.wall:.2f})"
              "   (target <= 1)")
        print(f"    speed-up --jobs 2 over --jobs 1 (clock)    = {one.wall / two.wall:5.2f}   (target >= 1.8)")
        # on a loaded machine two workers do not get two cores: the same run's CPU times say
        # what two free cores would give (the main process's CPU, plus the workers' shared out)
        free = two.main + (two.cpu - two.main) / 2
        print(f"    --jobs 2, main process / workers CPU       = {two.main:5.2f} s / {two.cpu - two.main:.2f} s")
        print(f"    speed-up on two free cores (from CPU)      = {one.cpu / free:5.2f}   "
              "(--jobs 1 CPU / (main CPU + workers CPU / 2))")
        # the workers' CPU grows when they share a busy machine: had they cost what the same
        # work cost --jobs 1, only the main process's CPU would stand in the way
        serial = min(two.main, one.cpu)
        ideal = one.cpu / (serial + (one.cpu - serial) / 2)
        print(f"    ... had the workers cost what --jobs 1 did  = {ideal:5.2f}   "
              "(--jobs 1 CPU / (main CPU + (--jobs 1 CPU - main CPU) / 2))")
        summary[name] = {
            "ratio to the floor (CPU)": one.cpu / floor.cpu,
            "ratio to the floor (clock)": one.wall / floor.wall,
            "-j2 over -j1 (clock)": one.wall / two.wall,
            "-j2 over -j1 on two free cores (CPU)": one.cpu / free,
            "-j2 over -j1, workers as -j1 (CPU)": ideal,
            "the machine's two-process ceiling (clock)": ceiling,
            "-j1 CPU (s)": one.cpu,
            "peak RSS -j1 (MB)": one.rss,
            "peak RSS -j2 (MB)": two.rss,
        }
    return summary


#: the fewest rounds of the files-that-need-nothing figure (see bench_nothing)
NOTHING_ROUNDS = 7


def bench_nothing(files: int, rounds: int, against: tuple[str, Path] | None) -> dict[str, dict[str, float]]:
    """Files that need nothing, on a generated corpus (``files`` modules, 5% legacy): what
    ``diff --jobs 1`` costs on them alone, start-up (an empty folder with the same
    configuration) taken off, against reading them; for this checkout and ``against``."""
    checkouts = [("this checkout", HERE.parent)] + ([against] if against else [])
    summary: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="migrate-async-bench-") as tmp:
        root = Path(tmp, "corpus")
        root.mkdir()
        make_corpus(root, files, 0.05)
        every = py_files(root)
        plain = sorted(set(every) - set(matching(every)))
        nothing, empty = Path(tmp, "nothing"), Path(tmp, "empty")
        nothing.mkdir()
        empty.mkdir()
        copy_files(root, plain, nothing)
        copy_files(root, [], empty)
        plain_copies = py_files(nothing)
        print(f"\nfiles that need nothing: {len(plain_copies)} of a generated corpus of {files} (none matches a trigger); "
              f"best of {max(rounds, NOTHING_ROUNDS)}\n  before: {load()}", flush=True)
        rows: dict[str, list[Took]] = {}
        # The figure is the difference of two short runs (about 1.0 s and 0.5 s) set against a
        # 0.1 s read: a hiccup of a few hundredths in one of them moves it by a whole point.
        # Each round takes a few seconds, so this part is measured at least seven times.
        for turn in range(max(rounds, NOTHING_ROUNDS)):
            order = [("floor", lambda: quiet(read_all, plain_copies))]
            for name, where in checkouts:
                order += [(f"{name}|nothing", lambda w=where: run_cli(nothing, 1, [], w)),
                          (f"{name}|start", lambda w=where: run_cli(empty, 1, [], w))]
            for name, measure in order if turn % 2 == 0 else reversed(order):
                rows.setdefault(name, []).append(measure())
        print(f"  after:  {load()}")
    best = {name: fastest(runs) for name, runs in rows.items()}
    floor = best["floor"]
    show("read the files (floor)", floor)
    for name, _where in checkouts:
        run, start = best[f"{name}|nothing"], best[f"{name}|start"]
        print(f"  {name}:")
        show("  migrate-async diff --jobs 1", run)
        show("  start-up alone (an empty folder)", start)
        cpu = (run.cpu - start.cpu) / max(floor.cpu, 1e-9)
        wall = (run.wall - start.wall) / max(floor.wall, 1e-9)
        print(f"    start-up taken off / the floor (CPU; clock) = {cpu:5.2f}  ({wall:.2f})   (target <= 3)")
        summary[name] = {"files that need nothing / read time (CPU)": cpu, "files that need nothing / read time (clock)": wall}
    return summary


def issue_report(tree: Path | None, project_files: int, files: int, rounds: int, against: tuple[str, Path] | None) -> None:
    """The issue's numbers in one run, this checkout and ``against`` side by side."""
    tables: list[tuple[str, dict[str, dict[str, float]]]] = []
    if tree is not None:
        tables.append((str(tree), bench_project(tree, str(tree), rounds, against)))
    with tempfile.TemporaryDirectory(prefix="migrate-async-bench-") as tmp:
        make_project(Path(tmp), project_files)
        label = f"generated project ({project_files} test modules)"
        tables.append((label, bench_project(Path(tmp), label, rounds, against)))
    tables.append((f"generated corpus ({files} modules)", bench_nothing(files, rounds, against)))
    names = ["this checkout"] + ([against[0]] if against else [])
    print(f"\nsummary ({load()}); columns: {' | '.join(names)}")
    for label, table in tables:
        print(f"  {label}")
        for metric in table["this checkout"]:
            values = " | ".join(f"{table[n][metric]:8.2f}" for n in names)
            print(f"    {metric:<46} {values}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tree", nargs="?", type=Path, help="a real tree to measure (default: a generated corpus)")
    parser.add_argument("--files", type=int, default=20000, help="size of the generated corpus")
    parser.add_argument(
        "--full-baseline", action="store_true",
        help="also time LibCST parse + regenerate of every file (slow on big corpora)",
    )
    parser.add_argument("--rounds", type=int, default=1, help="measure everything this many times, keep the fastest")
    parser.add_argument("--legacy-share", type=float, default=0.05, help="share of generated files with legacy patterns")
    parser.add_argument(
        "--corpus", choices=("all", "flat", "project"), default="all",
        help="the generated corpora to measure: the flat ones, the project-shaped tree, or all",
    )
    parser.add_argument("--project-files", type=int, default=600, help="test modules of the project-shaped tree")
    parser.add_argument(
        "--project", action="store_true",
        help="measure TREE as a project (test code only, the project-shaped report) instead of every file",
    )
    parser.add_argument(
        "--against", type=Path,
        help="another checkout (e.g. /work/main) whose diff is measured in the same run, in turn with this one",
    )
    parser.add_argument(
        "--issue", action="store_true",
        help="issue 26's numbers in one run: TREE (if given) and the generated project as projects, "
        "and the files that need nothing of a generated corpus (--files), with a summary; use --against",
    )
    args = parser.parse_args()
    # Bytecode as an installed package has it (PYTHONDONTWRITEBYTECODE would otherwise make
    # every migrate-async process compile the package again, a quarter of its start-up).
    compileall.compile_dir(str(HERE.parent / "migrate_async"), quiet=1)
    against = (str(args.against), _compiled_copy(args.against)) if args.against else None
    if args.issue:
        issue_report(args.tree, args.project_files, args.files, args.rounds, against)
        return
    if args.tree and args.project:
        bench_project(args.tree, str(args.tree), args.rounds, against)
        return
    if args.tree:
        bench(args.tree, str(args.tree), ["--all-files"], args.full_baseline, args.rounds)
        return
    if args.corpus in ("all", "project"):
        with tempfile.TemporaryDirectory(prefix="migrate-async-bench-") as tmp:
            make_project(Path(tmp), args.project_files)
            bench_project(Path(tmp), f"generated project ({args.project_files} test modules)", args.rounds, against)
    if args.corpus == "project":
        return
    with tempfile.TemporaryDirectory(prefix="migrate-async-bench-") as tmp:
        root = Path(tmp)
        make_corpus(root, args.files, args.legacy_share)
        bench(root, f"generated corpus ({args.legacy_share:.0%} legacy)", [], args.full_baseline, args.rounds)
        every = root / "all-legacy"
        every.mkdir()
        make_corpus(every, max(args.files // 20, 50), 1.0)
        bench(every, "generated corpus (every file legacy)", [], args.full_baseline, args.rounds)


def _compiled_copy(checkout: Path) -> Path:
    """A copy of ``checkout``'s package, compiled as this one is (the checkout itself is
    not written to); kept for the run in a temporary folder."""
    target = Path(tempfile.mkdtemp(prefix="migrate-async-against-"))
    shutil.copytree(checkout / "migrate_async", target / "migrate_async", ignore=shutil.ignore_patterns("__pycache__"))
    compileall.compile_dir(str(target / "migrate_async"), quiet=1)
    return target


if __name__ == "__main__":
    main()
