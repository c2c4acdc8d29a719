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
