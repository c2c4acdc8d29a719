"""Settings for several servers and for production, read as start-up reads them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def settings_of(*names, **env) -> dict:
    """These settings as a fresh interpreter gets them from this environment."""
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    clean.update({"DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings"}, **env)
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_with_redis_sessions_are_cached_and_kept_in_the_database():
    got = settings_of("SESSION_ENGINE", "CACHES", REDIS_URL="redis://127.0.0.1:6379/9")
    assert got["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert got["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    alone = settings_of("SESSION_ENGINE", REDIS_URL="")
    assert alone["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_beat_keeps_its_schedule_under_var_not_in_the_checkout(tmp_path):
    got = settings_of("CELERY_BEAT_SCHEDULE_FILENAME", MINUTEBOOK_VAR_DIR=str(tmp_path))
    assert got["CELERY_BEAT_SCHEDULE_FILENAME"] == str(tmp_path / "celerybeat-schedule")


def test_production_serves_hashed_compressed_static_files_and_s3_when_a_bucket_is_set():
    prod = {"DEBUG": "false", "SECRET_KEY": "k" * 60}
    got = settings_of("STORAGES", **prod)
    assert got["STORAGES"]["staticfiles"]["BACKEND"] == "config.storage.StaticFilesStorage"
    assert got["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    s3 = settings_of("STORAGES", AWS_STORAGE_BUCKET_NAME="council-minutes", **prod)["STORAGES"]
    assert s3["default"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"file_overwrite": False},  # two papers of one name never replace each other
    }
    assert s3["pdf_cache"]["BACKEND"] == "storages.backends.s3.S3Storage"


def test_a_serving_process_keeps_what_it_loaded_out_of_the_cycle_collector():
    """Full collections would otherwise walk Django and the apps again on every run."""
    code = "import gc, config.wsgi; print(gc.get_freeze_count())"
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 50_000


def test_postgresql_connections_price_a_random_read_as_memory_does():
    url = "postgres://minutebook@db.internal:5432/minutebook"
    options = settings_of("DATABASES", DATABASE_URL=url)["DATABASES"]["default"]["OPTIONS"]
    assert options["options"] == "-c random_page_cost=1.1 -c max_parallel_workers_per_gather=0"
    kept = settings_of(
        "DATABASES", DATABASE_URL=url, DATABASE_RANDOM_PAGE_COST="", DATABASE_PARALLEL_WORKERS=""
    )
    assert "options" not in kept["DATABASES"]["default"].get("OPTIONS", {})
    two = settings_of("DATABASES", DATABASE_URL=url, DATABASE_PARALLEL_WORKERS="2")
    assert two["DATABASES"]["default"]["OPTIONS"]["options"].endswith(
        "-c max_parallel_workers_per_gather=2"
    )
    clean = dict(os.environ, DATABASE_URL=url, DATABASE_RANDOM_PAGE_COST="cheap", DEBUG="true")
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
    )
    assert (
        done.returncode != 0 and "DATABASE_RANDOM_PAGE_COST='cheap' is not a number" in done.stderr
    )
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={
            **dict(os.environ, DATABASE_URL=url, DATABASE_PARALLEL_WORKERS="1.5", DEBUG="true"),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        },
        capture_output=True,
        text=True,
    )
    assert (
        done.returncode != 0 and "DATABASE_PARALLEL_WORKERS='1.5' is not an integer" in done.stderr
    )


@pytest.mark.django_db
def test_the_app_s_postgresql_connection_uses_that_price():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
