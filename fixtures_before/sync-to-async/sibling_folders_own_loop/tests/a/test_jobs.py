"""Batch jobs run on the test's loop (pytest-asyncio 0.21 tests)."""

import pytest

from batch import BatchRunner, fetch


@pytest.fixture
def runner(event_loop, job_names):
    runner = BatchRunner(event_loop)
    for name in job_names:
        runner.submit(fetch(name))
    return runner


def test_runner_runs_every_job(runner):
    assert runner.run() == ["BACKUP", "REPORT"]


def test_runner_is_on_the_fixture_loop(runner, event_loop):
    assert runner.loop is event_loop
    assert runner.run() == ["BACKUP", "REPORT"]
    assert not event_loop.is_closed()
