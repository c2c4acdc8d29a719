"""Background work for meetings: the minutes PDFs, built before anyone asks for them."""

import datetime as dt
import logging

from celery import shared_task
from django.conf import settings
from django.db import OperationalError, transaction
from django.utils import timezone

from . import builds, mail, pdf
from .models import Meeting

log = logging.getLogger(__name__)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def build_minutes_pdfs(*, meeting_id: int) -> list[str]:
    """Render the member and public copies of the minutes as they now stand.

    Idempotent: a copy whose content hash is already stored is not rendered again, so a
    burst of saves costs one render per distinct version.
    """
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return []
    return [pdf.build_minutes_pdf(meeting, public=public).key for public in (False, True)]


# Saves come in bursts while minutes are typed: wait, then render the state they reached.
# Every queued task renders the same final content, so only the first one does any work.
SETTLE_SECONDS = 30


def schedule_minutes_pdfs(meeting: Meeting) -> None:
    """Call after a change to minutes, attendance or status: the PDF is ready before the
    chair clicks. With no worker (tasks would run inline) it does nothing: a secretary's
    save must not wait for two renders; the first download renders once instead."""
    if build_minutes_pdfs.app.conf.task_always_eager:
        return
    transaction.on_commit(
        lambda: build_minutes_pdfs.apply_async(
            kwargs={"meeting_id": meeting.pk}, countdown=SETTLE_SECONDS
        )
    )


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
