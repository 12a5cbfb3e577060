from __future__ import annotations

import os
import subprocess
import threading
from collections import defaultdict, deque
from concurrent.futures import Future, ThreadPoolExecutor

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite fixtures_after/ (and the .notes files) from what the transforms produce now",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


# Background runs: a test that checks what a subprocess did (pytest on a golden after-case...)
# asks ``background.run(args, cwd=..., env=..., timeout=...)``, which returns what
# ``subprocess.run(..., capture_output=True, text=True)`` would. A test module that defines
# ``background_runs(item)`` (the keyword arguments of the runs one of its selected tests will
# ask for) has those runs started once collection is done, on a pool as wide as the machine,
# while the session goes on with the tests that run in this process. A test gets the result of
# the run it asks for, started with exactly its arguments: one that was not started ahead, or
# whose turn in the pool has not come, runs when the test asks for it. Nothing runs ahead with
# ``--update-goldens`` (the after-cases are rewritten during the session), and what is still
# queued or running when the session ends (``-x``, Ctrl-C) is cancelled or killed.


def _key(args, cwd, env, timeout) -> tuple:
    return (tuple(str(a) for a in args), str(cwd), None if env is None else tuple(sorted(env.items())), timeout)


class Background:
    def __init__(self, workers: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="background-run")
        self._ahead: dict[tuple, deque[Future]] = defaultdict(deque)
        self._running: set[subprocess.Popen] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.counts = {"started ahead": 0, "taken from ahead": 0, "run when asked": 0}

    def start(self, args, *, cwd, env=None, timeout: float) -> None:
        """Start a run now, for a test that will ask for it later."""
        future = self._pool.submit(self._execute, args, cwd, env, timeout)
        self._ahead[_key(args, cwd, env, timeout)].append(future)
        self.counts["started ahead"] += 1

    def run(self, args, *, cwd, env=None, timeout: float) -> subprocess.CompletedProcess:
        """What ``subprocess.run(args, cwd=cwd, env=env, timeout=timeout, capture_output=True,
        text=True)`` returns (or raises), from the run started ahead with these arguments if any."""
        queued = self._ahead.get(_key(args, cwd, env, timeout))
        if queued:
            future = queued.popleft()
            if not future.cancel():  # started (or done): its result is this test's
                self.counts["taken from ahead"] += 1
                return future.result()
        self.counts["run when asked"] += 1
        return self._execute(args, cwd, env, timeout)

    def _execute(self, args, cwd, env, timeout) -> subprocess.CompletedProcess:
        with self._lock:
            if self._closed:
                raise RuntimeError("the session's background runs were shut down")
            process = subprocess.Popen(
                args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            self._running.add(process)
        try:
            try:
                stdout, stderr = process.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                stdout, stderr = process.communicate()
                raise subprocess.TimeoutExpired(process.args, timeout, output=stdout, stderr=stderr) from None
            except BaseException:
                process.kill()
                process.wait()
                raise
            return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
        finally:
            with self._lock:
                self._running.discard(process)

    def shutdown(self) -> None:
        with self._lock:
            self._closed = True
            running = list(self._running)
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in running:
            process.kill()
        self._pool.shutdown(wait=True)


_BACKGROUND = pytest.StashKey[Background]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_BACKGROUND] = Background(workers=os.cpu_count() or 2)


def pytest_collection_finish(session: pytest.Session) -> None:
    config = session.config
    runs_no_tests = config.option.collectonly or config.getoption("setuponly", False)  # --setup-plan sets it too
    if runs_no_tests or session.testsfailed or config.getoption("--update-goldens"):
        return
    background = config.stash[_BACKGROUND]
    for item in session.items:
        planned = getattr(getattr(item, "module", None), "background_runs", None)
        for run in planned(item) if planned else ():
            background.start(**run)


def pytest_sessionfinish(session: pytest.Session) -> None:
    session.config.stash[_BACKGROUND].shutdown()


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    counts = config.stash[_BACKGROUND].counts
    if config.get_verbosity() > 0 and counts["started ahead"]:
        terminalreporter.write_line("background runs: " + ", ".join(f"{n} {what}" for what, n in counts.items()))


def pytest_unconfigure(config: pytest.Config) -> None:
    background = config.stash.get(_BACKGROUND, None)
    if background is not None:
        background.shutdown()


@pytest.fixture(scope="session")
def background(pytestconfig: pytest.Config) -> Background:
    return pytestconfig.stash[_BACKGROUND]
