"""The nightly tasks on the beat: expired sign-ins and stale PDFs are cleared away."""

import datetime as dt
import os
import time

from django.contrib.sessions.models import Session
from django.utils import timezone
from knox.models import AuthToken

from boards.tests.factories import UserFactory
from config.settings import CELERY_BEAT_SCHEDULE
from meetings import pdf, tasks
from security.tasks import clear_expired_sign_ins


def test_the_beat_runs_the_housekeeping_tasks():
    scheduled = {entry["task"] for entry in CELERY_BEAT_SCHEDULE.values()}
    assert {"security.tasks.clear_expired_sign_ins", "meetings.tasks.prune_pdf_cache"} <= scheduled


def test_expired_sessions_and_tokens_go_and_live_ones_stay(db, client):
    user = UserFactory()
    client.force_login(user)  # a live session
    Session.objects.create(
        session_key="old", session_data="", expire_date=timezone.now() - dt.timedelta(days=1)
    )
    live, _ = AuthToken.objects.create(user=user)
    old, _ = AuthToken.objects.create(user=user)
    AuthToken.objects.filter(pk=old.pk).update(expiry=timezone.now() - dt.timedelta(days=1))

    assert clear_expired_sign_ins() == {"tokens": 1}

    assert not Session.objects.filter(session_key="old").exists()
    assert Session.objects.count() == 1
    assert list(AuthToken.objects.values_list("pk", flat=True)) == [live.pk]
    assert client.get("/").status_code == 200  # still signed in


def test_stale_pdfs_are_pruned_and_recent_ones_kept(settings):
    settings.PDF_CACHE_DAYS = 30
    pdf.store_pdf("old", b"%PDF old version")
    pdf.write_progress("pack-old", state="done", done=1, total=1)
    pdf.store_pdf("new", b"%PDF current version")
    month_ago = time.time() - 31 * 24 * 3600
    for name in ("old.pdf", "pack-old.progress.json"):
        os.utime(settings.MEDIA_ROOT / pdf.CACHE_DIR / name, (month_ago, month_ago))

    assert tasks.prune_pdf_cache() == 2

    assert not pdf.is_cached("old") and pdf.is_cached("new")
    assert pdf.read_progress("pack-old")["state"] == "missing"
