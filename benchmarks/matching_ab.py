"""The matching-file ratio measured in one process, interleaved: steadier than bench.py's.

    python benchmarks/matching_ab.py               # 400 generated legacy test files
    python benchmarks/matching_ab.py --files 1000

bench.py times `migrate-async diff` as a user runs it (a new process, start-up included)
against LibCST's parse + regenerate in its own process, one after the other; on a shared VM
whose speed drifts by 15-25% over minutes, that ratio moves by as much. Here both run in the
same process on the same files, alternating in batches of 20 files, each batch timed three
times and the fastest kept, so that drift hits both sides alike. What is compared, per file:

- LibCST: read the bytes, parse, regenerate (``Module.bytes``);
- migrate-async: ``engine.process_file`` in ``diff`` mode: read, decode, parse, every
  selected transform, regenerate, check the output parses, build the diff.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import libcst as cst

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench import make_corpus

from migrate_async import engine
from migrate_async.engine import process_file, resolve_selection
from migrate_async.project import ProjectResolver

BATCH = 20
REPEATS = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=400, help="legacy test files to generate")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="migrate-async-ab-") as tmp:
        root = Path(tmp)
        make_corpus(root, args.files, 1.0)
        files = sorted(root.rglob("test_*.py"))
        names = tuple(t.name for t in resolve_selection(None))
        resolver = ProjectResolver()
        facts = {f: resolver.facts_for_file(f) for f in files}
        engine.tune_gc()  # as the command line does

        def libcst_side(batch: list[Path]) -> None:
            for path in batch:
                cst.parse_module(path.read_bytes()).bytes  # noqa: B018

        def our_side(batch: list[Path]) -> None:
            for path in batch:
                process_file(path, str(path), facts[path], names, False)

        totals = {"libcst": 0.0, "migrate-async": 0.0}
        for start in range(0, len(files), BATCH):
            batch = files[start:start + BATCH]
            best = dict.fromkeys(totals, float("inf"))
            for _ in range(REPEATS):
                for side, run in (("libcst", libcst_side), ("migrate-async", our_side)):
                    began = time.process_time()
                    run(batch)
                    best[side] = min(best[side], time.process_time() - began)
            for side in totals:
                totals[side] += best[side]
    per_file = {side: total / len(files) * 1e3 for side, total in totals.items()}
    print(f"{len(files)} legacy test files, batches of {BATCH}, fastest of {REPEATS}, CPU time per file:")
    print(f"  LibCST parse + regenerate   {per_file['libcst']:6.2f} ms")
    print(f"  migrate-async (diff)        {per_file['migrate-async']:6.2f} ms")
    print(f"  ratio                       {totals['migrate-async'] / totals['libcst']:6.2f}   (target <= 1.5)")


if __name__ == "__main__":
    main()
