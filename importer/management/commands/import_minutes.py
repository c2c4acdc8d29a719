"""`manage.py import_minutes FILE --board SLUG [--dry-run] [--json] [--confirm]`."""

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from boards.models import Board, Person
from importer import services
from importer.parse import ParsedMeeting, parse_minutes
from importer.read import UnreadableDocument, read_document


class Command(BaseCommand):
    help = (
        "Reads old minutes (.docx, .pdf, .txt). --dry-run --json prints the parsed meeting "
        "and saves nothing; otherwise the import waits for review on the board's page, or "
        "with --confirm becomes an approved meeting straight away."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--board", required=True, help="the board's slug")
        parser.add_argument("--dry-run", action="store_true", help="save nothing")
        parser.add_argument("--json", action="store_true", help="print the parsed meeting")
        parser.add_argument(
            "--confirm", action="store_true", help="create the meeting without review"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        board = Board.objects.filter(slug=options["board"]).first()
        if board is None:
            raise CommandError(f"No board with slug “{options['board']}”.")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        if options["dry_run"]:
            try:
                parsed = parse_minutes(read_document(path.name, data))
            except UnreadableDocument as error:
                raise CommandError(str(error)) from error
            self._show(parsed, options)
            return
        by = board.secretary
        try:
            minutes_import = services.start_import(board=board, by=by, name=path.name, data=data)
        except (UnreadableDocument, services.ImportRefused) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        parsed = ParsedMeeting.from_json(minutes_import.parsed)
        if not options["confirm"]:
            self._show(parsed, options)
            self.stderr.write(f"Review it at {minutes_import.get_absolute_url()}")
            return
        if by is None or not parsed.date:
            raise CommandError("--confirm needs the board's secretary and a date in the minutes.")
        people = list(Person.objects.of_partnership(board))
        matches = {
            index: services.match_person(row.name, people=people, initials=row.initials).person
            for index, row in enumerate(parsed.attendance)
        }
        time = dt.time.fromisoformat(parsed.time) if parsed.time else None
        date = dt.date.fromisoformat(parsed.date)
        try:
            meeting = services.confirm_import(
                minutes_import=minutes_import,
                by=by,
                parsed=parsed,
                people=matches,
                starts_at=services.local_start(date, time),
                start_time_known=time is not None,
                approved_on=date,
                venue=parsed.venue,
            )
        except services.ImportRefused as error:
            raise CommandError(" ".join(error.messages)) from error
        self._show(parsed, options)
        self.stderr.write(f"Created {meeting} ({meeting.get_absolute_url()})")

    def _show(self, parsed: ParsedMeeting, options):
        if options["json"]:
            self.stdout.write(json.dumps(parsed.to_json(), ensure_ascii=False))
            return
        self.stdout.write(
            f"{parsed.title or '(no title)'}, {parsed.date or '(no date)'}: "
            f"{len(parsed.attendance)} attending, {len(parsed.items)} items, "
            f"{len(parsed.decisions)} decisions, {len(parsed.actions)} actions, "
            f"{len(parsed.amounts)} amounts, {len(parsed.unplaced)} lines not placed"
        )
