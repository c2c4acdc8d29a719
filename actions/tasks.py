"""Celery tasks for reminders: thin wrappers; the database outbox decides what is left to do.

No task carries an ETA or countdown (a broker restart would lose it): beat triggers the
pass every 15 minutes and the pass finds everything still due in the Reminder table.
"""

import datetime as dt

from celery import shared_task

# The log's PDF and spreadsheet are built by meetings.tasks.run_build: importing their
# modules registers those builders in the worker.
from . import exports, pdf, reminders  # noqa: F401


@shared_task(acks_late=True)
def run_reminder_pass(*, now: str | None = None) -> dict:
    """Plan today's reminders and send what is due; safe to run on many workers at once."""
    at = dt.datetime.fromisoformat(now) if now else None
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=reminders.LONDON)  # a wall-clock time means London's
    planned, sent = reminders.run_reminder_pass(at)
    return {
        "planned": planned.created,
        "withdrawn": planned.withdrawn + sent.withdrawn,
        "emails": sent.emails,
        "sent": sent.sent,
        "retrying": sent.retrying,
        "failed": sent.failed,
    }
