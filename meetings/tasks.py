"""Background work for meetings: the minutes PDFs, built before anyone asks for them."""

from celery import shared_task
from django.db import OperationalError

from . import pdf
from .models import Meeting


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


def schedule_minutes_pdfs(meeting: Meeting) -> None:
    """Call after changing minutes, attendance or status: the PDF is ready before the click."""
    build_minutes_pdfs.delay_on_commit(meeting_id=meeting.pk)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def build_agenda_pack(*, meeting_id: int, public: bool) -> str | None:
    """Build the agenda pack, writing progress the page polls. Idempotent by content key."""
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return None
    pack = pdf.agenda_pack(meeting, public=public)
    if pdf.cache_path(pack.key).exists():
        return pack.key
    try:
        pdf.build_agenda_pack(pack)
    except Exception as exc:
        pdf.write_progress(pack.key, state="failed", done=0, total=0, error=str(exc)[:300])
        raise
    return pack.key


def start_agenda_pack(meeting: Meeting, *, public: bool) -> dict:
    """Queue a build unless the pack is built or building; return its progress."""
    pack = pdf.agenda_pack(meeting, public=public)
    progress = pdf.read_progress(pack.key)
    if progress["state"] in ("missing", "failed"):
        pdf.write_progress(pack.key, state="queued", done=0, total=len(pack.papers) + 2)
        build_agenda_pack.delay(meeting_id=meeting.pk, public=public)
        progress = pdf.read_progress(pack.key)
    return progress
