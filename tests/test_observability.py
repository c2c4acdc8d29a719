"""Logs an operator can use: time, level, logger and request id; e-mail and Sentry on errors."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

from celery import shared_task
from django.core import mail
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent

A_404 = """
from django.test import Client
response = Client().get("/no-such-page/", headers={"X-Request-ID": "nginx-0123456789ab"})
import sentry_sdk
print(response["X-Request-ID"], sentry_sdk.get_client().is_active())
"""


def run(code: str, tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "LOG_FORMAT")}
    clean.update(DEBUG="true", MINUTEBOOK_VAR_DIR=str(tmp_path), **env)
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_log_line_has_time_level_logger_and_the_request_id(tmp_path):
    done = run(A_404, tmp_path)
    assert done.stdout.split() == ["nginx-0123456789ab", "False"]  # no Sentry unless set
    line = next(ln for ln in done.stderr.splitlines() if "Not Found" in ln)
    # e.g. "2026-12-02 17:10:00,123 WARNING django.request [nginx-0123456789ab] Not Found: ..."
    date, clock, level, logger, rid = line.split()[:5]
    assert len(date) == 10 and clock.count(":") == 2
    assert (level, logger, rid) == ("WARNING", "django.request", "[nginx-0123456789ab]")


def test_json_logs_for_a_collector_and_sentry_only_when_a_dsn_is_set(tmp_path):
    done = run(A_404, tmp_path, LOG_FORMAT="json", SENTRY_DSN="https://public@127.0.0.1:9/1")
    assert done.stdout.split() == ["nginx-0123456789ab", "True"]
    record = next(
        json.loads(ln)
        for ln in done.stderr.splitlines()
        if ln.startswith("{") and "Not Found" in ln
    )
    assert record["level"] == "WARNING" and record["logger"] == "django.request"
    assert record["request_id"] == "nginx-0123456789ab" and record["time"]


def test_a_request_without_a_usable_id_gets_a_fresh_one(client, db):
    first = client.get("/about/", headers={"X-Request-ID": "bad id\nforged line"})
    second = client.get("/about/")
    assert len(first["X-Request-ID"]) == 32 and "forged" not in first["X-Request-ID"]
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_server_error_is_mailed_to_the_admins(db, settings):
    settings.DEBUG = False
    settings.ADMINS = [("IT service desk", "it@council.example.org")]
    client = Client(raise_request_exception=False)
    with mock.patch("config.views.render", side_effect=RuntimeError("disk full")):
        assert client.get("/about/", secure=True).status_code == 500
    assert mail.outbox[0].to == ["it@council.example.org"]
    assert "RuntimeError" in mail.outbox[0].body


@shared_task
def _fails():
    raise ValueError("the printer is on fire")


def test_a_failed_task_is_logged_with_its_task_id(caplog):
    # as a worker runs it (inline, the error would go straight back to the caller instead)
    with caplog.at_level(logging.ERROR, logger="minutebook.tasks"):
        assert _fails.apply(task_id="task-42", throw=False).failed()
    (record,) = [r for r in caplog.records if r.name == "minutebook.tasks"]
    assert "task-42" in record.getMessage() and "the printer is on fire" in record.getMessage()
    assert record.exc_info
