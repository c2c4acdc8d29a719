"""Safe defaults: DEBUG off unless set, no connection password on DEBUG's error page, and
no demo data (with its published passwords) loaded on a live site by mistake."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.views.debug import technical_500_response

from boards.models import Person

ROOT = Path(__file__).resolve().parent.parent
DB_PASSWORD = "s3cret-db-pass"
REDIS_PASSWORD = "s3cret-redis-pass"


def _run(args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_is_off_unless_set():
    result = _run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.DEBUG, settings.SECRET_KEY)",
        ],
        SECRET_KEY="a-real-secret-" + "k" * 40,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "a-real-secret-" + "k" * 40]


def test_the_error_page_shows_no_connection_password(rf, settings):
    database_url = f"postgres://minutebook:{DB_PASSWORD}@db.internal:5432/minutebook"
    redis_url = f"redis://:{REDIS_PASSWORD}@redis.internal:6379/0"
    settings.DEBUG = True
    settings.DATABASE_URL = database_url
    settings.REDIS_URL = redis_url
    settings.CELERY_BROKER_URL = redis_url
    settings.CELERY_RESULT_BACKEND = redis_url
    settings.SENTRY_DSN = f"https://key:{DB_PASSWORD}@sentry.example.org/1"
    # runserver hands the process environment to every request's META.
    request = rf.get("/boards/", DATABASE_URL=database_url, REDIS_URL=redis_url)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        response = technical_500_response(request, *sys.exc_info())
    page = response.content.decode()
    assert "boom" in page  # it is the real error page...
    assert "DATABASE_URL" in page and "REDIS_URL" in page
    assert DB_PASSWORD not in page  # ...without the passwords
    assert REDIS_PASSWORD not in page


@pytest.mark.django_db
def test_seed_demo_refuses_a_live_site(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--i-know-this-is-production"):
        call_command("seed_demo")
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_seed_demo_runs_on_a_live_site_when_told_it_is_one(settings):
    settings.DEBUG = False
    call_command("seed_demo", "--i-know-this-is-production")
    assert Person.objects.filter(user__username="secretary").exists()


def test_seed_demo_exits_non_zero_with_debug_off(tmp_path):
    result = _run(
        ["manage.py", "seed_demo"],
        DEBUG="false",
        SECRET_KEY="a-real-secret-" + "k" * 40,
        DATABASE_URL="",
        MINUTEBOOK_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "DEBUG is off, so this looks like a live site" in result.stderr
    assert "Nothing was changed" in result.stderr
