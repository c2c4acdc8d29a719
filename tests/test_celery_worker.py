"""A real Celery worker, started here, runs a task sent through the real Redis broker."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from boards.tasks import worker_heartbeat

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.celery


@pytest.fixture
def worker():
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: tasks run inline on this machine")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "-n",
            "test-heartbeat@%h",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    yield process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_it_runs_a_task_end_to_end_through_redis(worker, settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    result = worker_heartbeat.delay()
    payload = result.get(timeout=60)
    assert payload["host"]
    assert result.status == "SUCCESS"
