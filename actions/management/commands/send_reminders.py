"""`manage.py send_reminders [--now ISO-DATETIME]`: one reminder pass, no Celery needed."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from actions.reminders import LONDON, run_reminder_pass


def parse_now(value: str) -> dt.datetime:
    """An ISO date-time; without an offset it is London time (as people write it)."""
    try:
        at = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--now must be an ISO date-time such as 2026-03-29T07:00, not {value!r}."
        ) from None
    return at if timezone.is_aware(at) else at.replace(tzinfo=LONDON)


class Command(BaseCommand):
    help = (
        "Plan today's action reminders and send those due, inline (cron-able). "
        "Running it again for the same day sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            type=parse_now,
            help="Replay the pass as at this time (ISO 8601; London time if no offset).",
        )

    def handle(self, *args, now=None, **options):
        planned, sent = run_reminder_pass(now)
        withdrawn = planned.withdrawn + sent.withdrawn
        self.stdout.write(
            f"Planned {planned.created} reminder(s), withdrew {withdrawn}; "
            f"sent {sent.sent} in {sent.emails} e-mail(s); "
            f"{sent.retrying} to retry, {sent.failed} failed."
        )
        for error in sent.failures:
            self.stderr.write(f"  {error}")
