"""Benchmark migrate-async against its floors, on the same files, in one run.

    python benchmarks/bench.py                 # generated corpus of 20,000 test files
    python benchmarks/bench.py --files 2000    # a quicker one
    python benchmarks/bench.py --rounds 2      # everything twice, in turn; the fastest of each
    python benchmarks/bench.py /usr/lib/python3.11   # any real tree (read-only: uses `diff`)

Prints, for each corpus: the read-only floor (read every file), LibCST parse + regenerate
of the files that match a trigger (and of every file, with --full-baseline),
`migrate-async diff --jobs 1` on the corpus, on a copy of its matching files alone, on a copy
of the files that need nothing alone and on an empty folder (start-up), `--jobs 2`, peak
memory, and the ratios the targets are stated in, in CPU seconds and clock seconds.
Machines are shared and noisy (here the same work took 15-35% longer from one minute to
the next): compare ratios from one run, not seconds across runs.
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import resource
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

from migrate_async.engine import candidate_transforms, resolve_selection  # noqa: E402
from migrate_async.project import FileFacts  # noqa: E402

PLAIN = '''\
import json

import pytest

from shop.cart import Cart


@pytest.fixture
def cart():
    return Cart(currency="EUR")


@pytest.mark.parametrize("qty", [1, 2, 3])
def test_add_item_{n}(cart, qty):
    cart.add("sku-{n}", qty)
    assert cart.count("sku-{n}") == qty


def test_serialise_{n}(cart):
    cart.add("sku-{n}", 1)
    assert json.loads(cart.to_json())["items"] == {{"sku-{n}": 1}}


class TestTotals{n}:
    def test_empty(self, cart):
        assert cart.total() == 0

    def test_rounding(self, cart):
        cart.add("sku-{n}", 3, price=0.1)
        assert cart.total() == pytest.approx(0.3)
'''

LEGACY = '''\
import asyncio
import time

import pytest

from shop.client import Client


@pytest.fixture(scope="module")
async def client():
    client = Client()
    await client.connect()
    yield client
    await client.close()


async def test_fetch_{n}(client):
    time.sleep(0.01)
    assert await client.fetch("sku-{n}")


@pytest.mark.asyncio(scope="module")
async def test_cached_{n}(client):
    assert await client.fetch("sku-{n}") is client.cache["sku-{n}"]


class TestRetries{n}:
    async def test_retry(self, client):
        for _ in range(3):
            time.sleep(0.01)
        assert client.retries == 0
'''


# What a Python repository usually ignores (discovery checks every file against it).
GITIGNORE = """\
__pycache__/
*.py[cod]
*.so
build/
dist/
eggs/
.eggs/
*.egg-info/
*.egg
wheels/
sdist/
var/
lib/
lib64/
parts/
htmlcov/
.tox/
.nox/
.coverage
.coverage.*
coverage.xml
*.cover
.cache
.pytest_cache/
.hypothesis/
.mypy_cache/
.ruff_cache/
.dmypy.json
.pyre/
.venv
venv/
env/
ENV/
.env
*.log
*.sqlite3
docs/_build/
/site
.idea/
.vscode/
*.swp
.DS_Store
"""


def make_corpus(root: Path, count: int, legacy_share: float, seed: int = 7) -> None:
    """A repository (with a .gitignore) of ``count`` test modules in folders of 200."""
    rng = random.Random(seed)
    (root / ".git").mkdir()
    (root / ".gitignore").write_text(GITIGNORE)
    (root / "pytest.ini").write_text("[pytest]\nasyncio_mode = strict\n")
    for i in range(count):
        folder = root / "tests" / f"pkg{i // 200:03}"
        folder.mkdir(parents=True, exist_ok=True)
        template = LEGACY if rng.random() < legacy_share else PLAIN
        # real test files are a few hundred lines: repeat the body a few times
        body = "\n\n".join(template.format(n=f"{i}_{k}") for k in range(rng.randint(2, 6)))
        (folder / f"test_module_{i:05}.py").write_text(body)


class Took(NamedTuple):
    wall: float  # seconds on the clock
    cpu: float  # seconds of CPU (user + system): steadier on a shared machine


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


def run_cli(root: Path, jobs: int, extra: list[str]) -> Took:
    command = [sys.executable, "-m", "migrate_async", "diff", str(root), "--jobs", str(jobs), *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 3):
        print(proc.stderr[-2000:])
        raise SystemExit(f"migrate-async failed with {proc.returncode}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Took(elapsed, cpu)


def peak_rss_mb(root: Path, extra: list[str]) -> float:
    code = (
        "import resource, sys, runpy; sys.argv=['migrate-async','diff',%r,'--jobs','1',*%r];"
        "\ntry:\n    runpy.run_module('migrate_async', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)" % (str(root), extra)
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return int(proc.stdout.strip().splitlines()[-1]) / 1024


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
    return Took(min(r.wall for r in runs), min(r.cpu for r in runs))


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
    rss = peak_rss_mb(root, extra)
    print(f"  {'peak RSS, --jobs 1 (MB)':<44} {rss:8.0f}")
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
    args = parser.parse_args()
    # Bytecode as an installed package has it (PYTHONDONTWRITEBYTECODE would otherwise make
    # every migrate-async process compile the package again, a quarter of its start-up).
    compileall.compile_dir(str(HERE.parent / "migrate_async"), quiet=1)
    if args.tree:
        bench(args.tree, str(args.tree), ["--all-files"], args.full_baseline, args.rounds)
        return
    with tempfile.TemporaryDirectory(prefix="migrate-async-bench-") as tmp:
        root = Path(tmp)
        make_corpus(root, args.files, args.legacy_share)
        bench(root, f"generated corpus ({args.legacy_share:.0%} legacy)", [], args.full_baseline, args.rounds)
        every = root / "all-legacy"
        every.mkdir()
        make_corpus(every, max(args.files // 20, 50), 1.0)
        bench(every, "generated corpus (every file legacy)", [], args.full_baseline, args.rounds)


if __name__ == "__main__":
    main()
