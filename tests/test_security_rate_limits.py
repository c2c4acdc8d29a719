"""Rate limits: the API (anonymous, signed-in, token requests), password reset requests and
the calendar feeds answer 429 with a clear message once over their rate."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_the_open_api_limits_an_anonymous_client(board, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min"})
    api = APIClient()
    url = f"/api/open/{board.slug}/ocd-events/"
    assert [api.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = api.get(url)
    assert response.status_code == 429
    assert "Request was throttled" in response.json()["detail"]
    # Another address has its own count.
    assert APIClient(REMOTE_ADDR="198.51.100.7").get(url).status_code == 200


def test_the_api_limits_a_signed_in_reader(member, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/min"})
    api = APIClient()
    api.force_authenticate(member.user)
    assert [api.get("/api/boards/").status_code for _ in range(2)] == [200, 200]
    assert api.get("/api/boards/").status_code == 429


def test_token_requests_are_limited(member, settings):
    wrong = {"username": member.user.username, "password": "wrong-password-1"}
    api = APIClient()
    statuses = [api.post("/api/token/", wrong).status_code for _ in range(11)]
    assert statuses[:10] == [400] * 10  # 10 a minute unless API_TOKEN_RATE says otherwise
    assert statuses[10] == 429


def test_password_reset_requests_are_limited_per_address_and_per_client(member, settings):
    settings.PASSWORD_RESET_RATE = "2/hour"
    client = Client()
    for _ in range(2):
        assert client.post("/accounts/password_reset/", {"email": member.user.email}).status_code
    response = client.post("/accounts/password_reset/", {"email": member.user.email})
    assert response.status_code == 429
    assert "Too many requests: please wait 60 minutes and try again." in response.content.decode()
    assert len(mail.outbox) == 2
    # From elsewhere, the same inbox is not flooded either...
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert (
        elsewhere.post("/accounts/password_reset/", {"email": member.user.email}).status_code
        == 429
    )
    # ...and the page itself still opens.
    assert client.get("/accounts/password_reset/").status_code == 200
    assert len(mail.outbox) == 2


def test_calendar_feeds_are_limited(member, board, settings):
    settings.CALENDAR_FEED_RATE = "2/minute"
    client = Client()
    for url in (
        f"/actions/board/{board.slug}/meetings.ics",
        f"/actions/calendar/{member.calendar_token}.ics",
    ):
        client = Client(REMOTE_ADDR=f"192.0.2.{len(url)}")
        assert [client.get(url).status_code for _ in range(2)] == [200, 200]
        response = client.get(url)
        assert response.status_code == 429
        assert response["Retry-After"] == "60"
        assert (
            "Too many requests: please wait 1 minute and try again." in response.content.decode()
        )


def _cache_backend(**env):
    clean = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.CACHES['default']['BACKEND'])",
        ],
        cwd=ROOT,
        env={**clean, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_counts_live_in_redis_when_it_is_set():
    assert _cache_backend(REDIS_URL="redis://127.0.0.1:6379/0") == (
        "django.core.cache.backends.redis.RedisCache"
    )
    assert _cache_backend() == "django.core.cache.backends.locmem.LocMemCache"
