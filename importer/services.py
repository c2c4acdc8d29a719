"""Importing old minutes: read and park a document, then confirm it into a meeting or
cancel it. One transaction each; the meeting is built through the apps' own services."""

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from actions.services import record_action
from boards.models import Board, Person
from funding.models import Fund
from funding.money import financial_year_of
from funding.services import (
    InsufficientFunds,
    allocate_from_fund,
    record_budget,
    record_recovery,
)
from meetings.models import UNKNOWN_START, AgendaItem, Attendance, Meeting
from meetings.services import (
    add_decision,
    create_meeting,
    create_person,
    declare_interest,
    set_attendance,
    set_attendance_role,
    set_presence_window,
)

from .models import MinutesImport
from .parse import ParsedMeeting, parse_minutes
from .read import read_document, read_text, source_text

MAX_BYTES = 10 * 1024 * 1024


class ImportRefused(ValidationError):
    """The document cannot be imported, or not like this: the message says why."""


# --- reading -----------------------------------------------------------------------------


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pasted_hash(text: str) -> str:
    # The same minutes pasted twice differ only in spacing.
    return content_hash(re.sub(r"\s+", " ", text).strip().encode())


@transaction.atomic
def start_import(
    *,
    board: Board,
    by: Person | None,
    name: str = "",
    data: bytes | None = None,
    text: str = "",
) -> MinutesImport:
    """Reads an uploaded file (or pasted text) and keeps what was read for review; nothing
    of the meeting is saved yet. The same document already imported is refused, and one
    still awaiting review is returned rather than read twice."""
    if data is not None:
        if len(data) > MAX_BYTES:
            raise ImportRefused("The file is larger than 10 MB.")
        lines = read_document(name, data)
        digest = content_hash(data)
    else:
        if not text.strip():
            raise ImportRefused("Paste the text of the minutes, or choose a file.")
        lines = read_text(text)
        digest = pasted_hash(text)
    earlier = MinutesImport.objects.same_document(board=board, content_hash=digest).first()
    if earlier is not None and earlier.status == MinutesImport.Status.CONFIRMED:
        raise ImportRefused(
            f"This document was imported on {timezone.localtime(earlier.decided_at):%-d %B %Y}"
            f" as the meeting “{earlier.meeting}”."
        )
    if earlier is not None:
        return earlier
    parsed = parse_minutes(lines)
    minutes_import = MinutesImport(
        board=board,
        original_name=name[:255],
        source_text=source_text(lines),
        parsed=parsed.to_json(),
        content_hash=digest,
        created_by=by,
    )
    if data is not None:
        minutes_import.file.save(name or "minutes", ContentFile(data), save=False)
    minutes_import.save()
    return minutes_import


# --- matching people ----------------------------------------------------------------------


@dataclass
class Match:
    person: Person | None
    why: str


def match_person(name: str, *, people: list[Person], initials: str = "") -> Match:
    """The existing Person a parsed name stands for, and why: the same name, the same
    surname and first initial, or one first name and surname in the partnership."""
    wanted = _plain(name)
    if not wanted:
        return Match(None, "no name")
    same = [p for p in people if _plain(p.name) == wanted]
    if len(same) == 1:
        return Match(same[0], "same name in the partnership")
    if len(same) > 1:
        return Match(same[0], f"{len(same)} people of that name in the partnership: check")
    words = wanted.split()
    if len(words) >= 2:
        close = [
            p
            for p in people
            if _plain(p.name).split()[-1:] == words[-1:] and _plain(p.name)[:1] == wanted[:1]
        ]
        if len(close) == 1:
            return Match(close[0], f"same surname and initial as {close[0].name}")
    if initials:
        by_initials = [p for p in people if _initials(p.name) == initials.upper()]
        if len(by_initials) == 1:
            return Match(by_initials[0], f"initials {initials} in attendance")
    return Match(None, "no one of that name in the partnership: a new person will be added")


def _plain(name: str) -> str:
    return re.sub(r"[^a-z\- ]", "", (name or "").lower()).strip()


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.upper().split() if w)


# --- confirming -----------------------------------------------------------------------------


@dataclass
class Allocation:
    amount: int  # index into parsed.amounts
    fund: Fund
    kind: str  # "allocation" | "budget" | "recovery"
    pence: int


@transaction.atomic
def confirm_import(
    *,
    minutes_import: MinutesImport,
    by: Person,
    parsed: ParsedMeeting,
    people: dict[int, Person | None],
    starts_at: dt.datetime,
    approved_on: dt.date,
    start_time_known: bool = True,
    allocations: list[Allocation] = (),
    future_meetings: list[dt.date] = (),
    title: str = "",
    venue: str = "",
) -> Meeting:
    """The reviewed import becomes the board's meeting, as historical records are: minutes
    approved. Everything is built first (the apps' services refuse writes to approved
    minutes) and the meeting is approved last, in this one transaction. `people` maps an
    attendance row to its Person, or None for a new one. Money goes to a fund only where
    the secretary ticked it, and an allocation only from an agreed decision."""
    current = MinutesImport.objects.select_for_update().get(pk=minutes_import.pk)
    if current.status != MinutesImport.Status.PARSED:
        raise ImportRefused(f"This import is already {current.get_status_display().lower()}.")
    board = current.board
    meeting = create_meeting(
        board=board,
        starts_at=starts_at,
        start_time_known=start_time_known,
        venue=venue,
        title=title,
        kind=Meeting.Kind.AWAY_DAY if "away day" in title.lower() else Meeting.Kind.ORDINARY,
        standard_items=[],
    )
    # Items keep the numbers the minutes gave them ("12", "3.1"), so they are created
    # here rather than by add_item, which renumbers.
    items: dict[str, AgendaItem] = {}
    for order, row in enumerate(parsed.items, start=1):
        number = row.number.strip()
        parent = items.get(number.split(".")[0]) if "." in number else None
        items[number] = AgendaItem.objects.create(
            meeting=meeting,
            number=number,
            title=row.title.strip()[:300] or f"Item {number}",
            minutes=row.text,
            order=order,
            parent=parent,
        )

    persons: dict[str, Person] = {}
    for index, row in enumerate(parsed.attendance):
        person = people.get(index)
        if person is None:
            person = create_person(name=row.name, organisation=row.organisation, board=board)
        persons[row.name] = person
    for row in parsed.attendance:
        substitute = persons.get(row.substitute_for or "")
        attendance = set_attendance(
            meeting=meeting,
            person=persons[row.name],
            status=row.status,
            substitute_for=substitute if substitute != persons[row.name] else None,
        )
        if row.role in Attendance.Role.values:
            # the importer also reads "(Vice-Chair)"; the meeting records chair and minutes
            attendance = set_attendance_role(attendance=attendance, role=row.role)
        joined = _item_named(row.joined_at, items, f"{row.name} joined")
        left = _item_named(row.left_at, items, f"{row.name} left")
        if joined or left:
            set_presence_window(attendance=attendance, joined_at_item=joined, left_at_item=left)

    def item_for(number: str, what: str) -> AgendaItem:
        try:
            return items[number.strip()]
        except KeyError:
            raise ImportRefused(
                f"{what} names item “{number}”, which is not in the list."
            ) from None

    decisions = []
    for row in parsed.decisions:
        decisions.append(
            add_decision(item=item_for(row.item, "A decision"), kind=row.kind, text=row.text)
        )

    for row in parsed.actions:
        owners = [o for o in row.owners if o.strip()]
        whole_board = any(o.strip().lower() == "all" for o in owners)
        named = []
        for owner in owners:
            if owner.strip().lower() == "all":
                continue
            if owner not in persons:
                raise ImportRefused(
                    f"The action “{row.text[:60]}” is owned by “{owner}”, who is not in the "
                    "attendance: choose someone listed there, or add them to it."
                )
            named.append(persons[owner])
        due = row.due if row.due and row.due != "next meeting" else None
        record_action(
            item=item_for(row.item, "An action"),
            text=row.text,
            by=by,
            owners=named,
            whole_board=whole_board or not named,
            due_on=dt.date.fromisoformat(due) if due else None,
        )

    for row in parsed.declarations:
        if row.person not in persons:
            raise ImportRefused(
                f"The declaration of interest by “{row.person}” names someone who is not in "
                "the attendance: choose someone listed there, or add them to it."
            )
        declare_interest(
            meeting=meeting,
            person=persons[row.person],
            nature=row.nature,
            item=item_for(row.item, "A declaration of interest") if row.item.strip() else None,
        )

    day = timezone.localtime(starts_at).date()
    for chosen in allocations:
        amount = parsed.amounts[chosen.amount]
        decision = decisions[amount.decision] if amount.decision is not None else None
        purpose = amount.text[:300]
        if chosen.kind == "recovery":
            # "recover the £25k from the Treasury": money back into the fund
            record_recovery(
                fund=chosen.fund,
                amount=chosen.pence,
                purpose=purpose,
                decision=decision,
                entered_on=day,
                by=by.user if by else None,
            )
            continue
        if chosen.kind == "budget":
            record_budget(
                fund=chosen.fund,
                amount=chosen.pence,
                financial_year=financial_year_of(day),
                purpose=purpose,
                decision=decision,
                entered_on=day,
                by=by.user if by else None,
            )
            continue
        try:
            allocate_from_fund(
                fund=chosen.fund,
                decision=decision,
                amount=chosen.pence,
                purpose=purpose,
                entered_on=day,
                by=by.user if by else None,
            )
        except InsufficientFunds:
            # The fund's earlier budget lines may predate Minutebook: say so on the line.
            allocate_from_fund(
                fund=chosen.fund,
                decision=decision,
                amount=chosen.pence,
                purpose=purpose,
                entered_on=day,
                by=by.user if by else None,
                override_reason="Imported from minutes approved before the fund's ledger began.",
            )

    for when in future_meetings:
        create_meeting(
            board=board,
            starts_at=dt.datetime.combine(
                when, timezone.localtime(starts_at).time(), starts_at.tzinfo
            ),
            venue=venue,
        )

    # Approved last: from here on the meeting's record changes only by amendment.
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.MINUTES_APPROVED, approved_on=approved_on
    )
    current.status = MinutesImport.Status.CONFIRMED
    current.meeting = meeting
    current.parsed = parsed.to_json()
    current.decided_at = timezone.now()
    current.save(update_fields=["status", "meeting", "parsed", "decided_at"])
    meeting.refresh_from_db()
    return meeting


def _item_named(when: str, items: dict[str, AgendaItem], who: str) -> AgendaItem | None:
    """ "during item 4" -> item 4; a clock time ("at 3pm") has no item to point at. An item
    that is not in the list is refused rather than dropped."""
    match = re.search(r"\bitem\s+(\d{1,2}(?:\.\d{1,2})?)", when or "", re.IGNORECASE)
    if not match:
        return None
    if match[1] not in items:
        raise ImportRefused(f"{who} at item “{match[1]}”, which is not in the list.")
    return items[match[1]]


@transaction.atomic
def cancel_import(*, minutes_import: MinutesImport) -> None:
    """A cancelled import leaves nothing behind: no meeting, its file deleted and the text
    read from it dropped; only the row saying it was cancelled remains."""
    current = MinutesImport.objects.select_for_update().get(pk=minutes_import.pk)
    if current.status != MinutesImport.Status.PARSED:
        raise ImportRefused(f"This import is already {current.get_status_display().lower()}.")
    if current.file:
        name = current.file.name
        transaction.on_commit(lambda: current.file.storage.delete(name))
    current.file = ""
    current.source_text = ""
    current.parsed = {}
    current.status = MinutesImport.Status.CANCELLED
    current.decided_at = timezone.now()
    current.save(update_fields=["file", "source_text", "parsed", "status", "decided_at"])


def local_start(date: dt.date, time: dt.time | None) -> dt.datetime:
    """The meeting's start in the installation's time zone (the meetings app's unknown
    start when the minutes give no time)."""
    return dt.datetime.combine(date, time or UNKNOWN_START, ZoneInfo(settings.TIME_ZONE))
