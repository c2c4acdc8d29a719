"""Background work for meetings: the minutes PDFs, built before anyone asks for them."""

import datetime as dt
import logging
import time

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, transaction
from django.utils import timezone

from . import builds, mail, pdf
from .models import Meeting

log = logging.getLogger(__name__)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def build_minutes_pdfs(*, meeting_id: int, edit_at: float | None = None) -> list[str]:
    """Render the member and public copies of the minutes as they now stand.

    Debounced: a task queued for an edit that a later one followed does nothing (the later
    edit's task renders both). Idempotent: a copy whose content hash is already stored is
    not rendered again.
    """
    due = cache.get(_minutes_build_key(meeting_id))
    if edit_at is not None and due and due["edit_at"] > edit_at:
        return []  # typed on since: the last edit's task renders what it reached
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return []
    mark = {"edit_at": edit_at or 0, "state": "running"}
    cache.set(_minutes_build_key(meeting_id), mark, MINUTES_BUILD_STALE_SECONDS)
    try:
        return [pdf.build_minutes_pdf(meeting, public=public).key for public in (False, True)]
    finally:
        # done, unless an edit came in while it rendered (its own task is queued)
        if cache.get(_minutes_build_key(meeting_id)) == mark:
            cache.delete(_minutes_build_key(meeting_id))


# Saves come in bursts while minutes are typed (autosave after a second's pause): the
# build waits this long after the last one, so the PDF is ready a few seconds after the
# secretary stops, and a burst costs one render.
SETTLE_SECONDS = 2
# A build mark older than this is a worker that died: the next click renders itself.
MINUTES_BUILD_STALE_SECONDS = SETTLE_SECONDS + 60


def _minutes_build_key(meeting_id: int) -> str:
    return f"minutes-pdf-build:{meeting_id}"


def minutes_build_state(meeting: Meeting) -> str | None:
    """ "queued" or "running" while the minutes' PDFs are being rebuilt; None otherwise."""
    due = cache.get(_minutes_build_key(meeting.pk))
    return due["state"] if due else None


def schedule_minutes_pdfs(meeting: Meeting) -> None:
    """Call after a change to minutes, attendance or status: the PDF is ready before the
    chair clicks. With no worker (tasks would run inline) it does nothing: a secretary's
    save must not wait for two renders; the first download renders once instead."""
    if build_minutes_pdfs.app.conf.task_always_eager:
        return

    def queue():
        edit_at = time.time()
        cache.set(
            _minutes_build_key(meeting.pk),
            {"edit_at": edit_at, "state": "queued"},
            MINUTES_BUILD_STALE_SECONDS,
        )
        build_minutes_pdfs.apply_async(
            kwargs={"meeting_id": meeting.pk, "edit_at": edit_at}, countdown=SETTLE_SECONDS
        )

    transaction.on_commit(queue)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def run_build(*, kind: str, key: str, params: dict) -> str | None:
    """A file built in the background with progress (meetings.builds): the agenda pack,
    the action log's PDF and spreadsheet. Idempotent by content key."""
    return builds.run_queued(kind=kind, key=key, params=params)


# --- the meeting cycle's e-mails: thin wrappers; MeetingMail rows say what is left to do ---


@shared_task(autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def send_meeting_invitations(*, meeting_id: int) -> int:
    return mail.send_invitations(meeting_id)


@shared_task(autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def send_draft_minutes(*, meeting_id: int) -> int:
    return mail.send_draft_minutes(meeting_id)


@shared_task(autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def send_amendment_decision(*, proposal_id: int) -> bool:
    return mail.send_amendment_decision(proposal_id)


@shared_task
def prune_pdf_cache() -> int:
    """Remove cached PDFs and progress files not written for PDF_CACHE_DAYS days.

    A PDF is named by the hash of what it shows, so an edited meeting leaves its old
    versions behind for good; a current one removed here is rendered again when asked for.
    """
    cutoff = timezone.now() - dt.timedelta(days=settings.PDF_CACHE_DAYS)
    removed = pdf.prune_cache(older_than=cutoff)
    log.info("Pruned %d PDF cache files older than %s", removed, cutoff)
    return removed
