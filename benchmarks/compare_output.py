"""Whether this checkout's ``migrate-async diff`` says exactly what another checkout's says.

    python benchmarks/compare_output.py --against /work/main            # the default trees
    python benchmarks/compare_output.py --against /work/main TREE...    # these trees

For each tree, ``diff`` is run by both checkouts with ``--format text`` and ``--format json``,
each with ``--jobs 1`` and ``--jobs 2``; stdout, stderr and the exit status must be byte for
byte the same. The default trees: the end-to-end projects of the tests (tests/data/*), the
golden before-cases (fixtures_before, as one tree), 400 generated all-legacy test modules
(corpora.make_corpus), a generated project-shaped tree (corpora.make_project) and the real
trees in /tmp/trial/src when they are there. Nothing is written to any tree (``diff`` only).
Exit status 1 when any output differs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpora import make_corpus, make_project  # noqa: E402

REAL_TREES = Path("/tmp/trial/src")


def run(checkout: Path, tree: Path, fmt: str, jobs: int) -> tuple[int, bytes, bytes]:
    # (bytecode goes elsewhere: the other checkout is not written to)
    pycache = Path(tempfile.gettempdir(), "migrate-async-compare-pycache")
    env = dict(os.environ, PYTHONPATH=str(checkout), COLUMNS="100", PYTHONPYCACHEPREFIX=str(pycache))
    env.pop("MIGRATE_ASYNC_PARSE_LOG", None)
    # -P: the current folder does not shadow the checkout PYTHONPATH names
    command = [sys.executable, "-P", "-m", "migrate_async", "diff", str(tree), "--format", fmt, "--jobs", str(jobs)]
    done = subprocess.run(command, capture_output=True, env=env, cwd=tree)
    return done.returncode, done.stdout, done.stderr


def compare(tree: Path, label: str, mine: Path, other: Path) -> bool:
    same = True
    for fmt in ("text", "json"):
        for jobs in (1, 2):
            a, b = run(mine, tree, fmt, jobs), run(other, tree, fmt, jobs)
            ok = a == b
            same = same and ok
            size = len(a[1])
            print(f"  {label:<40} {fmt:<4} -j{jobs}: {'same' if ok else 'DIFFERENT'} "
                  f"(exit {a[0]}, {size} bytes of stdout)", flush=True)
            if not ok:
                for name, x, y in (("exit", a[0], b[0]), ("stdout", a[1], b[1]), ("stderr", a[2], b[2])):
                    if x != y:
                        print(f"    {name} differs")
    return same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trees", nargs="*", type=Path)
    parser.add_argument("--against", type=Path, required=True, help="the other checkout (e.g. /work/main)")
    parser.add_argument("--real", type=Path, default=REAL_TREES, help="the real trees (a copy, if others change them)")
    args = parser.parse_args()
    mine = HERE.parent
    same = True
    if args.trees:
        for tree in args.trees:
            same = compare(tree.resolve(), str(tree), mine, args.against) and same
    else:
        repo = HERE.parent
        for data in sorted((repo / "tests" / "data").iterdir()):
            if data.is_dir():
                same = compare(data, f"tests/data/{data.name}", mine, args.against) and same
        same = compare(repo / "fixtures_before", "fixtures_before", mine, args.against) and same
        with tempfile.TemporaryDirectory(prefix="migrate-async-compare-") as tmp:
            legacy = Path(tmp, "legacy")
            legacy.mkdir()
            make_corpus(legacy, 400, 1.0)
            same = compare(legacy, "400 generated legacy modules", mine, args.against) and same
            project = Path(tmp, "project")
            project.mkdir()
            make_project(project, 600)
            same = compare(project, "generated project (600 modules)", mine, args.against) and same
        if args.real.is_dir():
            same = compare(args.real, str(args.real), mine, args.against) and same
    print("every output the same" if same else "SOME OUTPUT DIFFERS")
    raise SystemExit(0 if same else 1)


if __name__ == "__main__":
    main()
