"""python manage.py render_minutes MEETING_ID --out FILE [--public]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetings.models import Meeting
from meetings.pdf import render_minutes_pdf


class Command(BaseCommand):
    help = 'Write the "Note of Meeting" PDF of one meeting to a file.'

    def add_arguments(self, parser):
        parser.add_argument("meeting_id", type=int)
        parser.add_argument("--out", required=True, help="The PDF file to write.")
        parser.add_argument("--public", action="store_true", help="Leave confidential items out.")

    def handle(self, *args, meeting_id, out, public, **options):
        meeting = Meeting.objects.select_related("board").filter(pk=meeting_id).first()
        if meeting is None:
            raise CommandError(f"No meeting with id {meeting_id}.")
        path = Path(out)
        if not path.parent.is_dir():
            raise CommandError(f"No folder {path.parent} to write {path.name} into.")
        data = render_minutes_pdf(meeting, public=public)
        path.write_bytes(data)
        copy = "public" if public else "members'"
        self.stdout.write(
            f"Wrote the {copy} minutes of {meeting} to {path} ({len(data):,} bytes)."
        )
