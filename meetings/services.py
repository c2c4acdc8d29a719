"""Every write to a meeting's record: one transaction each, keyword-only arguments."""

import datetime as dt
import os
import uuid
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import get_valid_filename

from boards.models import Board, Membership, Organisation, Person, RecordChange
from boards.permissions import Perm, can

from .models import (
    AgendaItem,
    Amendment,
    AmendmentProposal,
    Attendance,
    Decision,
    Declaration,
    ForwardPlanEntry,
    Meeting,
    MeetingInvitation,
    NamedVote,
    Paper,
)
from .tasks import (
    schedule_minutes_pdfs,
    send_draft_minutes,
    send_meeting_invitations,
)

# The items every ordinary meeting starts with (from the boards' own agendas).
STANDARD_ITEMS = [
    "Welcome and apologies",
    "Notes of the last meeting",
    "Matters arising",
    "Any other business",
    "Date of next meeting",
]
MATTERS_ARISING = "Matters arising"
NOTES_OF_LAST_MEETING = "Notes of the last meeting"

# What a paper may be, judged from its first bytes: extension -> MIME type.
PAPER_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}

# Status changes a secretary may make, from -> allowed targets.
STATUS_STEPS = {
    Meeting.Status.DRAFT: {Meeting.Status.AGENDA_PUBLISHED, Meeting.Status.HELD},
    Meeting.Status.AGENDA_PUBLISHED: {Meeting.Status.DRAFT, Meeting.Status.HELD},
    Meeting.Status.HELD: {Meeting.Status.MINUTES_DRAFTED},
    Meeting.Status.MINUTES_DRAFTED: {Meeting.Status.HELD},
    Meeting.Status.MINUTES_APPROVED: set(),
    # A cancelled meeting is kept (its invitations were sent) but goes nowhere.
    Meeting.Status.CANCELLED: set(),
}


class MinutesConflict(Exception):
    """Someone saved the item since this editor loaded it: both texts are kept."""

    def __init__(self, item: AgendaItem, mine: str):
        super().__init__(f"Item {item.pk} changed since version was read")
        self.item = item
        self.mine = mine


class MinutesApprovalRefused(ValidationError):
    """Not this person, not at this meeting, or not those minutes (see approve_minutes)."""


class PaperRefused(ValidationError):
    """The upload is not a paper we accept (type from content, or size)."""


class MinutesFrozen(ValidationError):
    """Approved minutes are the legal record: a change to them is an amendment (who, when,
    why, before and after) made with a reason, never an overwrite."""


# Kept for callers that name the minutes-text case.
AmendmentNeedsReason = MinutesFrozen


def amend_or_refuse(
    *,
    meeting: Meeting,
    what: str,
    before: str = "",
    after: str = "",
    reason: str = "",
    by=None,
    item: AgendaItem | None = None,
) -> Amendment | None:
    """The one guard every write to a meeting's record calls before it changes anything.

    Minutes not yet approved: nothing to do. Approved minutes: without a reason the change
    is refused (MinutesFrozen); with one it is kept as an Amendment saying who, when, why
    and what changed. The meeting's row is locked so an approval and an edit cannot cross.
    """
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not current.is_frozen:
        return None
    reason = (reason or "").strip()
    if not reason:
        approved = f" on {current.approved_on:%-d %B %Y}" if current.approved_on else ""
        raise MinutesFrozen(
            f"These minutes were approved{approved}, so this change is an amendment: "
            "give a reason for the change (it is kept with who made it, when and what changed)."
        )
    amendment = Amendment.objects.create(
        meeting=current,
        item=item,
        field=what[:40],
        before=before,
        after=after,
        reason=reason,
        by=by,
    )
    schedule_minutes_pdfs(current)
    return amendment


# --- meetings and status -----------------------------------------------------------


@transaction.atomic
def create_meeting(
    *,
    board: Board,
    starts_at: dt.datetime,
    venue: str = "",
    kind: str = Meeting.Kind.ORDINARY,
    title: str = "",
    standard_items: list[str] | None = None,
    ends_at: dt.datetime | None = None,
    start_time_known: bool = True,
) -> Meeting:
    """A new meeting starts as a draft with the board's standard agenda items (the board's
    own list where it has one)."""
    _check_times(starts_at, ends_at)
    meeting = Meeting.objects.create(
        board=board,
        starts_at=starts_at,
        ends_at=ends_at,
        start_time_known=start_time_known,
        venue=venue or board.default_venue,
        kind=kind,
        title=title,
    )
    if standard_items is None:
        standard_items = board.standard_item_titles or STANDARD_ITEMS
    titles = standard_items
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, title=t, order=i, number=str(i))
        for i, t in enumerate(titles, start=1)
    )
    return meeting


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime | None) -> None:
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError("The meeting must end after it starts.")


def _details_text(meeting: Meeting) -> str:
    """A meeting's details as an amendment records them."""
    starts = timezone.localtime(meeting.starts_at)
    when = f"{starts:%-d %B %Y}" + (f", {starts:%H:%M}" if meeting.start_time_known else "")
    if meeting.ends_at:
        when += f" to {timezone.localtime(meeting.ends_at):%H:%M}"
    return (
        f"{meeting.title or '(no title)'}; {when}; {meeting.venue or 'no venue'}; "
        f"{meeting.get_kind_display()}"
    )


@transaction.atomic
def update_meeting_details(
    *,
    meeting: Meeting,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None = None,
    start_time_known: bool = True,
    venue: str = "",
    kind: str = Meeting.Kind.ORDINARY,
    title: str = "",
    reason: str = "",
    by=None,
) -> Meeting:
    """Title, date, start and end time, venue and kind may change until the minutes are
    approved; after that a change is an amendment (a reason is needed)."""
    _check_times(starts_at, ends_at)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    before = _details_text(meeting)
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.start_time_known = start_time_known
    meeting.venue, meeting.kind, meeting.title = venue, kind, title
    after = _details_text(meeting)
    if after == before:
        return meeting
    amend_or_refuse(
        meeting=meeting, what="meeting details", before=before, after=after, reason=reason, by=by
    )
    meeting.save(
        update_fields=[
            "starts_at", "ends_at", "start_time_known", "venue", "kind", "title", "updated_at"
        ]
    )  # fmt: skip
    schedule_minutes_pdfs(meeting)
    issue_invitations(meeting=meeting)  # a new date, time or venue goes out as an update
    return meeting


def deletion_refusal(meeting: Meeting) -> str:
    """Why this meeting cannot be deleted, or "" if it can.

    Only a draft whose record holds nothing yet: no minutes typed, no decisions, actions,
    papers or declarations. Its agenda items and attendance go with it; anything more is
    part of the record and the meeting stays (its status says what became of it).
    """
    if meeting.status != Meeting.Status.DRAFT:
        return (
            f"Only a draft meeting can be deleted; this one is “{meeting.get_status_display()}”."
        )
    items = AgendaItem.objects.filter(meeting=meeting)
    recorded = [
        (items.exclude(minutes="").exists(), "minutes"),
        (items.filter(decisions__isnull=False).exists(), "decisions"),
        (items.filter(actions__isnull=False).exists(), "actions"),
        (items.filter(papers__isnull=False).exists(), "papers"),
        (meeting.declarations.exists(), "declarations of interest"),
    ]
    found = [what for present, what in recorded if present]
    if found:
        return (
            "This meeting already has " + ", ".join(found) + ": remove them first, "
            "or keep the meeting."
        )
    return ""


@transaction.atomic
def delete_meeting(*, meeting: Meeting) -> None:
    """A draft meeting with nothing recorded yet is deleted with its agenda and
    attendance (see deletion_refusal); any other meeting is refused."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    refusal = deletion_refusal(meeting)
    if refusal:
        raise ValidationError(refusal)
    meeting.delete()


# A meeting older than this when its minutes go out was entered from the record: owners
# are not reminded of actions already overdue by then unless the secretary asks.
HISTORY_AFTER_DAYS = 28


def remind_overdue_by_default(meeting: Meeting, now: dt.datetime | None = None) -> bool:
    """The circulation box's default: remind of overdue actions only for a recent meeting."""
    return meeting.starts_at >= (now or timezone.now()) - dt.timedelta(days=HISTORY_AFTER_DAYS)


@transaction.atomic
def change_status(*, meeting: Meeting, status: str, remind_overdue: bool | None = None) -> Meeting:
    """Only the next (or previous) step may be taken; approval comes from approve_minutes.

    Publishing the agenda sends the invitations (after commit). Circulating the draft
    minutes stamps minutes_circulated_at, from which owners hear of their new actions, and
    e-mails every member the draft with its PDF; `remind_overdue` says whether actions
    already overdue by then are reminded too (by default only for a meeting held in the
    last HISTORY_AFTER_DAYS days).
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if status not in STATUS_STEPS.get(meeting.status, set()):
        raise ValidationError(
            f"A meeting that is “{meeting.get_status_display()}” cannot become "
            f"“{Meeting.Status(status).label if status in Meeting.Status.values else status}”."
        )
    meeting.status = status
    fields = ["status", "updated_at"]
    if status == Meeting.Status.MINUTES_DRAFTED and meeting.minutes_circulated_at is None:
        meeting.minutes_circulated_at = timezone.now()
        meeting.remind_overdue = (
            remind_overdue_by_default(meeting) if remind_overdue is None else remind_overdue
        )
        fields += ["minutes_circulated_at", "remind_overdue"]
    meeting.save(update_fields=fields)
    schedule_minutes_pdfs(meeting)
    if status == Meeting.Status.AGENDA_PUBLISHED:
        issue_invitations(meeting=meeting)
    elif status == Meeting.Status.MINUTES_DRAFTED:
        transaction.on_commit(lambda: send_draft_minutes.delay(meeting_id=meeting.pk))
    return meeting


# --- invitations -------------------------------------------------------------------


def _calendar_details(meeting: Meeting) -> dict:
    return {"starts_at": meeting.starts_at, "ends_at": meeting.ends_at, "venue": meeting.venue}


@transaction.atomic
def issue_invitations(*, meeting: Meeting) -> MeetingInvitation | None:
    """The invitation goes to every invitee once its agenda is published; when the date,
    time or venue sent out has changed since, it goes again as an update (same UID, a
    higher SEQUENCE). Anyone who has not had the current sequence gets it, so a substitute
    named later is invited too. Only a meeting whose agenda is out (not yet held) sends.
    Call it after any change to a meeting's date, time or venue."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.AGENDA_PUBLISHED:
        return None
    details = _calendar_details(meeting)
    invitation, created = MeetingInvitation.objects.select_for_update().get_or_create(
        meeting=meeting, defaults=details
    )
    if not created and any(getattr(invitation, k) != v for k, v in details.items()):
        for field, value in details.items():
            setattr(invitation, field, value)
        invitation.sequence += 1
        invitation.save()
    transaction.on_commit(lambda: send_meeting_invitations.delay(meeting_id=meeting.pk))
    return invitation


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, by=None) -> Meeting:
    """A meeting not yet held can be cancelled; whoever was invited gets a cancellation
    (METHOD:CANCEL, the same UID, a higher SEQUENCE) for their calendar."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status not in (Meeting.Status.DRAFT, Meeting.Status.AGENDA_PUBLISHED):
        raise ValidationError(
            f"Only a meeting not yet held can be cancelled; this one is "
            f"“{meeting.get_status_display()}”."
        )
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status", "updated_at"])
    invitation = MeetingInvitation.objects.select_for_update().filter(meeting=meeting).first()
    if invitation is not None:
        invitation.sequence += 1
        invitation.cancelled_at = timezone.now()
        invitation.save(update_fields=["sequence", "cancelled_at", "updated_at"])
        transaction.on_commit(lambda: send_meeting_invitations.delay(meeting_id=meeting.pk))
    return meeting


# --- agenda ------------------------------------------------------------------------


def _ordered(items):
    return sorted(items, key=lambda i: (i.order, i.pk))


def _agenda_text(items) -> str:
    """An agenda as an amendment records it: "1. Welcome; 2. Notes; 2.1 Budget"."""
    return "; ".join(f"{i.number}{'.' if '.' not in i.number else ''} {i.title}" for i in items)


@transaction.atomic
def renumber(
    *, meeting: Meeting, order: list[int] | None = None, reason: str = "", by=None
) -> list[AgendaItem]:
    """Items are numbered "1", "2" and sub-items "2.1", "2.2" from their place in the list.

    A sub-item belongs to the nearest top-level item above it; a sub-item moved to the top
    of the agenda becomes a top-level item. ``order`` (item ids) gives a new order; ids
    from other meetings are ignored and items it leaves out keep their place at the end.
    Reordering approved minutes is an amendment (a reason is needed).
    """
    if order is None:
        return _renumber(meeting=meeting)
    before = _agenda_text(_ordered(AgendaItem.objects.filter(meeting=meeting)))
    sequence = _renumber(meeting=meeting, order=order)
    after = _agenda_text(sequence)
    if after != before:
        amend_or_refuse(
            meeting=meeting, what="agenda order", before=before, after=after, reason=reason, by=by
        )
    return sequence


def _renumber(*, meeting: Meeting, order: list[int] | None = None) -> list[AgendaItem]:
    items = {i.pk: i for i in AgendaItem.objects.select_for_update().filter(meeting=meeting)}
    if order is not None:
        wanted = [items[pk] for pk in order if pk in items]
        rest = _ordered(i for pk, i in items.items() if pk not in set(order))
        sequence = wanted + rest
    else:
        sequence = _ordered(items.values())
    top = sub = 0
    parent = None
    changed = []
    for position, item in enumerate(sequence, start=1):
        if item.parent_id is not None and parent is not None:
            sub += 1
            number, new_parent = f"{top}.{sub}", parent
        else:
            top += 1
            sub = 0
            number, new_parent = str(top), None
            parent = item
        if (item.order, item.number, item.parent_id) != (
            position,
            number,
            new_parent.pk if new_parent else None,
        ):
            item.order, item.number, item.parent = position, number, new_parent
            changed.append(item)
    AgendaItem.objects.bulk_update(changed, ["order", "number", "parent"])
    if changed:
        RecordChange.objects.create()  # bulk_update sends no post_save: numbers are shown
    return sequence


@transaction.atomic
def add_item(
    *,
    meeting: Meeting,
    title: str,
    confidential: bool = False,
    sub_item: bool = False,
    reason: str = "",
    by=None,
) -> AgendaItem:
    """A new item goes before "Any other business" and "Date of next meeting" if present;
    on approved minutes it is an amendment (a reason is needed)."""
    amendment = amend_or_refuse(
        meeting=meeting, what="agenda item", after=f"Item added: {title}", reason=reason, by=by
    )
    items = _ordered(AgendaItem.objects.filter(meeting=meeting))
    tail = {"any other business", "date of next meeting"}
    position = len(items)
    while position > 0 and items[position - 1].title.strip().lower() in tail:
        position -= 1
    item = AgendaItem.objects.create(
        meeting=meeting, title=title, confidential=confidential, order=0
    )
    if sub_item and position > 0:
        item.parent = items[position - 1].parent or items[position - 1]
        item.save(update_fields=["parent"])
    order = [i.pk for i in items[:position]] + [item.pk] + [i.pk for i in items[position:]]
    _renumber(meeting=meeting, order=order)
    item.refresh_from_db()
    if amendment is not None:
        amendment.item = item
        amendment.after = f"Item {item.number} added: {title}"
        amendment.save(update_fields=["item", "after"])
    return item


def _item_text(item: AgendaItem, presenters) -> str:
    names = ", ".join(p.display_name for p in presenters) or "none"
    secret = " (confidential)" if item.confidential else ""
    return f"{item.number} {item.title}{secret}; presenters: {names}"


@transaction.atomic
def update_item(
    *,
    item: AgendaItem,
    title: str,
    confidential: bool,
    presenters: list[Person],
    sub_item: bool | None = None,
    reason: str = "",
    by=None,
) -> AgendaItem:
    """Title, confidentiality and presenters; making it a sub-item renumbers the agenda.
    On approved minutes the change is an amendment (a reason is needed)."""
    refuse_outsiders(item.meeting.board, presenters)
    before = _item_text(item, item.presenters.all())
    item.title = title
    item.confidential = confidential
    after = _item_text(item, presenters)
    if after != before:
        amend_or_refuse(
            meeting=item.meeting,
            what="agenda item",
            before=before,
            after=after,
            reason=reason,
            by=by,
            item=item,
        )
    fields = ["title", "confidential", "updated_at"]
    item.save(update_fields=fields)
    item.presenters.set(presenters)
    if sub_item is not None and sub_item != (item.parent_id is not None):
        set_sub_item(item=item, sub_item=sub_item, reason=reason, by=by)
        item.refresh_from_db()
    return item


@transaction.atomic
def set_sub_item(*, item: AgendaItem, sub_item: bool, reason: str = "", by=None) -> None:
    """Indent under the item above, or outdent to a numbered item of its own (on approved
    minutes an amendment, with a reason)."""
    meeting = item.meeting
    before = _agenda_text(_ordered(AgendaItem.objects.filter(meeting=meeting)))
    if sub_item:
        above = (
            AgendaItem.objects.filter(meeting_id=item.meeting_id, order__lt=item.order)
            .order_by("-order")
            .first()
        )
        if above is None:
            return
        item.parent = above.parent or above
    else:
        item.parent = None
    item.save(update_fields=["parent"])
    # Sub-items below are re-parented by renumber to whichever item now heads them.
    after = _agenda_text(_renumber(meeting=meeting))
    if after != before:
        amend_or_refuse(
            meeting=meeting,
            what="agenda order",
            before=before,
            after=after,
            reason=reason,
            by=by,
            item=item,
        )


@transaction.atomic
def delete_item(*, item: AgendaItem, reason: str = "", by=None) -> None:
    """Its sub-items move up to the item above; the agenda is renumbered. On approved
    minutes the deletion is an amendment (a reason is needed; the text is kept in it)."""
    meeting = item.meeting
    amend_or_refuse(
        meeting=meeting,
        what="agenda item",
        # A deleted item leaves no row to say it was confidential: keep its words out.
        before=f"Item {item.number}"
        + (" (considered in private)" if item.confidential else f" {item.title}: {item.minutes}"),
        after="Item deleted",
        reason=reason,
        by=by,
    )
    AgendaItem.objects.filter(parent=item).update(parent=None)
    item.delete()
    _renumber(meeting=meeting)


@transaction.atomic
def save_minutes(
    *, item: AgendaItem, text: str, version: int, by=None, reason: str = ""
) -> AgendaItem:
    """Saves only over the version the editor read; approved minutes need a reason.

    A stale version raises MinutesConflict (nothing is overwritten). On frozen minutes the
    change is kept as an Amendment with who, when and why.
    """
    text = text.replace("\r\n", "\n")
    meeting = item.meeting
    current = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if current.version != version:
        if current.minutes == text:  # the same words from two tabs are no conflict
            return current
        raise MinutesConflict(current, text)
    if current.minutes == text:
        return current
    amend_or_refuse(
        meeting=meeting,
        what="minutes",
        before=current.minutes,
        after=text,
        reason=reason,
        by=by,
        item=current,
    )
    current.minutes = text
    # The row is locked (select_for_update), so a plain increment cannot race.
    current.version += 1
    current.save(update_fields=["minutes", "version", "updated_at"])
    schedule_minutes_pdfs(meeting)
    return current


# --- papers ------------------------------------------------------------------------


def paper_kind(head: bytes) -> str | None:
    """The extension of an accepted paper type, judged from content; None if refused."""
    kind = filetype.guess(head)
    if kind is None or kind.extension not in PAPER_TYPES:
        return None
    return kind.extension


def safe_paper_name(name: str, extension: str) -> str:
    """A plain file name: no path, no odd characters, the extension its content has."""
    stem = os.path.splitext(os.path.basename(name.replace("\\", "/")))[0]
    stem = get_valid_filename(stem.strip()[:80]) if stem.strip() else ""
    return f"{stem or 'paper'}.{extension}"


@transaction.atomic
def attach_paper(*, item: AgendaItem, upload, by=None, title: str = "", reason: str = "") -> Paper:
    """Only PDF, DOCX, XLSX and PPTX (checked from the content) up to MAX_PAPER_BYTES;
    a paper added to approved minutes is an amendment (a reason is needed)."""
    limit = settings.MAX_PAPER_BYTES
    if upload.size > limit:
        raise PaperRefused(
            f"“{upload.name}” is {upload.size / 1_048_576:.1f} MB; "
            f"papers may be at most {limit / 1_048_576:.0f} MB."
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    extension = paper_kind(head)
    if extension is None:
        raise PaperRefused(
            f"“{upload.name}” is not a PDF, Word (DOCX), Excel (XLSX) or PowerPoint (PPTX) "
            "file, so it was not attached."
        )
    name = safe_paper_name(upload.name, extension)
    paper = Paper(
        item=item,
        title=title.strip() or os.path.splitext(name)[0].replace("_", " "),
        content_type=PAPER_TYPES[extension],
        size=upload.size,
        uploaded_by=by,
    )
    # Before the file is stored: a refused paper leaves nothing behind.
    amend_or_refuse(
        meeting=item.meeting,
        what="papers",
        after=f"Paper attached: {paper.title}",
        reason=reason,
        by=by,
        item=item,
    )
    # A random folder keeps two papers with the same name apart.
    paper.file.save(f"{uuid.uuid4().hex[:12]}/{name}", upload, save=False)
    paper.save()
    return paper


def paper_download_name(paper: Paper) -> str:
    return os.path.basename(paper.file.name)


@transaction.atomic
def remove_paper(*, paper: Paper, reason: str = "", by=None) -> None:
    """The row and the stored file go together; on approved minutes the removal is an
    amendment (a reason is needed)."""
    amend_or_refuse(
        meeting=paper.item.meeting,
        what="papers",
        before=f"Paper: {paper.title}",
        after="Paper removed",
        reason=reason,
        by=by,
        item=paper.item,
    )
    storage, name = paper.file.storage, paper.file.name
    paper.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- people ------------------------------------------------------------------------


@transaction.atomic
def create_person(*, name: str, organisation: str = "", board: Board | None = None) -> Person:
    """A new person typed in place: "Jane Smith" or "Jane Smith (VAS)", added for a
    board (so they are of its partnership, and only its, from then on).

    The organisation is matched by short name or name; an unknown one is created.
    """
    name, organisation = name.strip(), organisation.strip()
    if not organisation and name.endswith(")") and "(" in name:
        name, _, organisation = name[:-1].rpartition("(")
        name, organisation = name.strip(), organisation.strip()
    if not name:
        raise ValidationError("Type the person's name.")
    org = None
    if organisation:
        org = (
            Organisation.objects.filter(short_name__iexact=organisation).first()
            or Organisation.objects.filter(name__iexact=organisation).first()
            or Organisation.objects.create(
                name=organisation, short_name=organisation if len(organisation) <= 8 else ""
            )
        )
    people = Person.objects.of_partnership(board) if board else Person.objects.all()
    existing = people.filter(name__iexact=name, organisation=org).first()
    return existing or Person.objects.create(name=name, organisation=org, added_for=board)


# --- attendance --------------------------------------------------------------------


# Statuses of someone in the room.
THERE = {Attendance.Status.PRESENT, Attendance.Status.IN_ATTENDANCE}


def refuse_outsiders(board: Board, people) -> None:
    """Another partnership's people are never in this board's attendance, present its
    items or declare there: being in an attendance makes someone of the partnership, so
    it would hand over their name and e-mail (and their invitation)."""
    wanted = [person.pk for person in people if person is not None]
    if not wanted:
        return
    theirs = Person.objects.filter(pk__in=wanted).of_other_partnerships(board).first()
    if theirs is not None:
        raise ValidationError(f"{theirs.display_name} is not one of this partnership's people.")


def _refuse_contradiction(
    *, meeting: Meeting, person: Person, status: str, substitute_for: Person | None
) -> None:
    """One row per person already rules out "present and apologies"; what is left is a
    member present in person while someone attends as their substitute."""
    rows = Attendance.objects.filter(meeting=meeting).select_related("person")
    if substitute_for is not None and status in THERE:
        own = rows.filter(person=substitute_for, status=Attendance.Status.PRESENT).first()
        if own is not None:
            raise ValidationError(
                f"{substitute_for.display_name} is marked present, so nobody attends for "
                "them: mark their apologies first."
            )
    if status == Attendance.Status.PRESENT:
        substitute = (
            rows.filter(substitute_for=person, status__in=THERE).exclude(person=person).first()
        )
        if substitute is not None:
            raise ValidationError(
                f"{substitute.person.display_name} attended for {person.display_name}: "
                "remove the substitute first, or mark their apologies."
            )


def _attendance_text(attendance: Attendance | None) -> str:
    if attendance is None:
        return ""
    line = f"{attendance.person.display_name}: {attendance.get_status_display()}"
    if attendance.substitute_for_id:
        line += f" (for {attendance.substitute_for.display_name})"
    if attendance.role:
        line += f" {attendance.role_label}"
    return line


@transaction.atomic
def set_attendance(
    *,
    meeting: Meeting,
    person: Person,
    status: str,
    substitute_for: Person | None = None,
    representing: Organisation | None = None,
    reason: str = "",
    by=None,
) -> Attendance:
    """One row per person; marking again changes the status. On approved minutes the
    change is an amendment (a reason is needed)."""
    if status not in Attendance.Status.values:
        raise ValidationError("Choose present, apologies, absent or in attendance.")
    if substitute_for is not None and substitute_for.pk == person.pk:
        raise ValidationError("Someone cannot substitute for themselves.")
    refuse_outsiders(meeting.board, [person, substitute_for])
    _refuse_contradiction(
        meeting=meeting, person=person, status=status, substitute_for=substitute_for
    )
    defaults = {"status": status}
    if status not in THERE:
        # Someone who sent apologies neither chaired, took the minutes nor left early.
        defaults |= {"role": "", "joined_at_item": None, "left_at_item": None}
    if substitute_for is not None:
        defaults["substitute_for"] = substitute_for
    if representing is not None:
        defaults["representing"] = representing
    existing = Attendance.objects.filter(meeting=meeting, person=person).first()
    before = _attendance_text(existing)
    attendance, created = Attendance.objects.get_or_create(
        meeting=meeting, person=person, defaults=defaults
    )
    if not created:
        for field, value in defaults.items():
            setattr(attendance, field, value)
        attendance.save(update_fields=list(defaults))
    after = _attendance_text(attendance)
    if after != before:
        amend_or_refuse(
            meeting=meeting, what="attendance", before=before, after=after, reason=reason, by=by
        )
    if attendance.substitute_for_id and meeting.status == Meeting.Status.AGENDA_PUBLISHED:
        issue_invitations(meeting=meeting)  # a substitute named after publishing is invited
    schedule_minutes_pdfs(meeting)
    return attendance


@transaction.atomic
def set_attendance_role(
    *, attendance: Attendance, role: str, reason: str = "", by=None
) -> Attendance:
    """Who chaired and who took the minutes, marked on their attendance; only someone in
    the room has a role. On approved minutes an amendment (a reason is needed)."""
    if role not in {"", *Attendance.Role.values}:
        raise ValidationError("Choose chair, minutes or no role.")
    if role and attendance.status not in THERE:
        raise ValidationError(
            f"{attendance.person.display_name} was not there: only someone present or in "
            "attendance can chair or take the minutes."
        )
    before = _attendance_text(attendance)
    attendance.role = role
    _save_attendance_change(
        attendance, before=before, describe=_attendance_text, fields=["role"], reason=reason, by=by
    )
    return attendance


def _save_attendance_change(attendance, *, before, describe, fields, reason, by) -> None:
    """Save a change made to an attendance row (described before and after by
    `describe`); on approved minutes it is an amendment, so a reason is needed."""
    after = describe(attendance)
    if after == before:
        return
    amend_or_refuse(
        meeting=attendance.meeting,
        what="attendance",
        before=before,
        after=after,
        reason=reason,
        by=by,
    )
    attendance.save(update_fields=fields)
    schedule_minutes_pdfs(attendance.meeting)


def _presence_text(attendance: Attendance) -> str:
    joined, left = attendance.joined_at_item, attendance.left_at_item
    return (
        f"{attendance.person.display_name}: "
        f"joined at {f'item {joined.number}' if joined else 'the start'}, "
        f"left at {f'item {left.number}' if left else 'the end'}"
    )


@transaction.atomic
def set_presence_window(
    *,
    attendance: Attendance,
    joined_at_item: AgendaItem | None,
    left_at_item: AgendaItem | None,
    reason: str = "",
    by=None,
) -> Attendance:
    """Joined at item N / left at item M, both from this meeting's agenda, joined first;
    on approved minutes an amendment (a reason is needed)."""
    for item in (joined_at_item, left_at_item):
        if item is not None and item.meeting_id != attendance.meeting_id:
            raise ValidationError("Choose an item of this meeting.")
    if joined_at_item and left_at_item and left_at_item.order < joined_at_item.order:
        raise ValidationError("Someone cannot leave before they joined.")
    before = _presence_text(attendance)
    attendance.joined_at_item = joined_at_item
    attendance.left_at_item = left_at_item
    _save_attendance_change(
        attendance,
        before=before,
        describe=_presence_text,
        fields=["joined_at_item", "left_at_item"],
        reason=reason,
        by=by,
    )
    return attendance


@transaction.atomic
def remove_attendance(*, attendance: Attendance, reason: str = "", by=None) -> None:
    """Someone added by mistake is taken off; on approved minutes that is an amendment
    (a reason is needed)."""
    amend_or_refuse(
        meeting=attendance.meeting,
        what="attendance",
        before=_attendance_text(attendance),
        after="Removed from the attendance",
        reason=reason,
        by=by,
    )
    attendance.delete()


@dataclass
class Quorum:
    needed: int
    present: int
    inquorate_items: list[AgendaItem]

    @property
    def applies(self) -> bool:
        return self.needed > 0

    @property
    def quorate(self) -> bool:
        return not self.applies or (self.present >= self.needed and not self.inquorate_items)


def quorum_for(
    *,
    meeting: Meeting,
    items: list[AgendaItem],
    attendances,
    voting_ids: set[int],
    declarations=(),
) -> Quorum:
    """Voting members present (or their substitutes) against the board's quorum, per item.

    Someone who joined at item N counts from N on; someone who left at item M counts up to
    the item before M; someone who declared an interest and left the room for an item does
    not count for that item. Works on rows the caller already loaded: no queries.
    """
    out_of = {(d.person_id, d.item_id) for d in declarations if d.left_room and d.item_id}
    needed = meeting.board.quorum
    order_of = {i.pk: i.order for i in items}
    counting = []
    for a in attendances:
        if a.status != Attendance.Status.PRESENT:
            continue
        stands_for = a.substitute_for_id or a.person_id
        if stands_for in voting_ids:
            counting.append((stands_for, a))
    present = len({pk for pk, _ in counting})
    inquorate = []
    if needed:
        for item in items:
            here = set()
            for pk, a in counting:
                joined = order_of.get(a.joined_at_item_id)
                left = order_of.get(a.left_at_item_id)
                if joined is not None and item.order < joined:
                    continue
                if left is not None and item.order >= left:
                    continue
                if (a.person_id, item.pk) in out_of:
                    continue
                here.add(pk)
            if len(here) < needed:
                inquorate.append(item)
    return Quorum(needed=needed, present=present, inquorate_items=inquorate)


def voting_member_ids(board: Board) -> set[int]:
    return set(
        Membership.objects.current()
        .voting()
        .filter(board=board)
        .exclude(role=Membership.Role.SECRETARY)
        .values_list("person_id", flat=True)
    )


# --- decisions and declarations ----------------------------------------------------


@transaction.atomic
def add_decision(
    *,
    item: AgendaItem,
    kind: str,
    text: str,
    approves: Meeting | None = None,
    bring_back: bool = False,
    bring_back_meeting: Meeting | None = None,
    bring_back_month: dt.date | None = None,
    reason: str = "",
    by=None,
) -> Decision:
    """Decisions are numbered (1), (2), (3) in the order they are recorded on the item; one
    added to approved minutes is an amendment (a reason is needed). A deferred decision, or
    one marked "bring back", enters the board's forward plan aimed at the meeting or month
    given (none: the next meeting), to be offered for a later agenda."""
    if not text.strip():
        raise ValidationError("Type what the Board decided.")
    meeting = item.meeting
    if bring_back_meeting is not None and (
        bring_back_meeting.board_id != meeting.board_id
        or bring_back_meeting.starts_at <= meeting.starts_at
    ):
        raise ValidationError("Bring it back to a later meeting of this board.")
    if bring_back_month is not None:
        bring_back_month = bring_back_month.replace(day=1)
        if bring_back_month < timezone.localtime(meeting.starts_at).date().replace(day=1):
            raise ValidationError("Bring it back in this month or a later one.")
    bring_back = bring_back or bring_back_meeting is not None or bring_back_month is not None
    AgendaItem.objects.select_for_update().filter(pk=item.pk).first()
    last = item.decisions.aggregate(n=Max("number"))["n"] or 0
    decision = Decision.objects.create(
        item=item,
        kind=kind,
        text=text.strip(),
        number=last + 1,
        approves=approves,
        bring_back=bring_back,
        bring_back_meeting=bring_back_meeting,
        bring_back_month=bring_back_month,
    )
    amend_or_refuse(
        meeting=item.meeting,
        what="decision",
        after=f"{decision.label} {decision.get_kind_display()}: {decision.text}",
        reason=reason,
        by=by,
        item=item,
    )
    if decision.kind == Decision.Kind.DEFERRED or bring_back:
        ForwardPlanEntry.objects.create(
            board_id=meeting.board_id,
            title=item.title,
            source_decision=decision,
            target_meeting=bring_back_meeting,
            target_month=bring_back_month,
        )
    schedule_minutes_pdfs(meeting)
    return decision


def _vote_text(decision: Decision) -> str:
    return decision.vote_summary or "No vote recorded"


@transaction.atomic
def record_vote(
    *,
    decision: Decision,
    mover: Person | None = None,
    seconder: Person | None = None,
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstained: int | None = None,
    named: dict[Person, str] | None = None,
    reason: str = "",
    by=None,
) -> Decision:
    """A vote on a decision, where the board votes: the mover and seconder, and either the
    counts for, against and abstaining or each person's named vote (the counts then follow
    the names). Recording again replaces it; on approved minutes it is an amendment."""
    named = {p: w for p, w in (named or {}).items() if w}
    if mover is not None and seconder is not None and mover.pk == seconder.pk:
        raise ValidationError("The seconder must be someone other than the mover.")
    if any(w not in NamedVote.Way.values for w in named.values()):
        raise ValidationError("A named vote is for, against or abstaining.")
    if any(n is not None and n < 0 for n in (votes_for, votes_against, votes_abstained)):
        raise ValidationError("A count of votes cannot be negative.")
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("item__meeting", "mover", "seconder")
        .prefetch_related("named_votes__person")
        .get(pk=decision.pk)
    )
    before = _vote_text(decision)
    if named:
        ways = list(named.values())
        votes_for, votes_against, votes_abstained = (
            ways.count(NamedVote.Way.FOR),
            ways.count(NamedVote.Way.AGAINST),
            ways.count(NamedVote.Way.ABSTAINED),
        )
    decision.mover, decision.seconder = mover, seconder
    decision.votes_for, decision.votes_against = votes_for, votes_against
    decision.votes_abstained = votes_abstained
    decision.save(
        update_fields=["mover", "seconder", "votes_for", "votes_against", "votes_abstained"]
    )
    decision.named_votes.all().delete()
    NamedVote.objects.bulk_create(
        NamedVote(decision=decision, person=p, way=w) for p, w in named.items()
    )
    decision = (
        Decision.objects.select_related("item__meeting", "mover", "seconder")
        .prefetch_related("named_votes__person")
        .get(pk=decision.pk)
    )
    after = _vote_text(decision)
    if after != before:
        amend_or_refuse(
            meeting=decision.item.meeting,
            what="vote",
            before=f"{decision.label} {before}",
            after=f"{decision.label} {after}",
            reason=reason,
            by=by,
            item=decision.item,
        )
    schedule_minutes_pdfs(decision.item.meeting)
    return decision


@transaction.atomic
def delete_decision(*, decision: Decision, reason: str = "", by=None) -> None:
    """The numbers that follow close up, so (1) (2) (3) never has a gap; on approved
    minutes the deletion is an amendment (a reason is needed).

    A decision that approved earlier minutes cannot be deleted: the approval stands.
    """
    if decision.approves_id:
        raise ValidationError(
            "This decision approved earlier minutes; it cannot be deleted. "
            "Record a correction instead."
        )
    item = decision.item
    amend_or_refuse(
        meeting=item.meeting,
        what="decision",
        before=f"{decision.label} {decision.get_kind_display()}: {decision.text}",
        after="Decision deleted",
        reason=reason,
        by=by,
        item=item,
    )
    AgendaItem.objects.select_for_update().filter(pk=item.pk).first()
    decision.delete()
    # Ascending, so each number moves into the slot just freed (no unique clash).
    for number, d in enumerate(item.decisions.order_by("number"), start=1):
        if d.number != number:
            Decision.objects.filter(pk=d.pk).update(number=number)
    schedule_minutes_pdfs(item.meeting)


def _declaration_text(declaration: Declaration) -> str:
    where = f", item {declaration.item.number}" if declaration.item_id else ""
    left = " (left the meeting for the item)" if declaration.left_room else ""
    return f"{declaration.person.display_name}{where}: {declaration.nature}{left}"


@transaction.atomic
def declare_interest(
    *,
    meeting: Meeting,
    person: Person,
    nature: str,
    item: AgendaItem | None = None,
    left_room: bool = False,
    reason: str = "",
    by=None,
) -> Declaration:
    """A declaration names a person and what they declared; the item is optional. Someone
    who left the room for the item is not counted present there (nor for its quorum). One
    added to approved minutes is an amendment (a reason is needed)."""
    if not nature.strip():
        raise ValidationError("Say what the interest is.")
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError("Choose an item of this meeting.")
    refuse_outsiders(meeting.board, [person])
    if left_room and item is None:
        raise ValidationError("Choose the item they left the meeting for.")
    declaration = Declaration.objects.create(
        meeting=meeting, person=person, item=item, nature=nature.strip(), left_room=left_room
    )
    amend_or_refuse(
        meeting=meeting,
        what="declaration",
        after=_declaration_text(declaration),
        reason=reason,
        by=by,
        item=item,
    )
    schedule_minutes_pdfs(meeting)
    return declaration


@transaction.atomic
def withdraw_declaration(*, declaration: Declaration, reason: str = "", by=None) -> None:
    """A declaration recorded by mistake is removed; on approved minutes that is an
    amendment (a reason is needed)."""
    amend_or_refuse(
        meeting=declaration.meeting,
        what="declaration",
        before=_declaration_text(declaration),
        after="Declaration withdrawn",
        reason=reason,
        by=by,
        item=declaration.item,
    )
    declaration.delete()


# --- approving earlier minutes -----------------------------------------------------

# A meeting can agree minutes only once it has taken place.
HELD_OR_LATER = {
    Meeting.Status.HELD,
    Meeting.Status.MINUTES_DRAFTED,
    Meeting.Status.MINUTES_APPROVED,
}


def may_agree_minutes_at(meeting: Meeting) -> bool:
    """Minutes are agreed only at a meeting that has taken place."""
    return meeting.status in HELD_OR_LATER and meeting.starts_at <= timezone.now()


# The agenda item a meeting agrees earlier minutes at, as boards title it.
APPROVAL_ITEM_WORDS = ("last meeting", "minutes of", "notes of")


def approval_item(meeting: Meeting) -> AgendaItem | None:
    """The item at which this meeting agrees earlier minutes ("Notes of the last
    meeting"), the first such on its agenda."""
    for item in meeting.items.order_by("order", "pk"):
        if any(words in item.title.lower() for words in APPROVAL_ITEM_WORDS):
            return item
    return None


def approvable_meetings(meeting: Meeting):
    """The board's earlier meetings whose minutes are still awaiting approval."""
    return (
        Meeting.objects.filter(board_id=meeting.board_id, starts_at__lt=meeting.starts_at)
        .exclude(status=Meeting.Status.MINUTES_APPROVED)
        .order_by("-starts_at")
    )


@transaction.atomic
def approve_minutes(
    *,
    item: AgendaItem,
    earlier: Meeting,
    by,
    corrections: str = "",
    attendance_corrections: list[tuple[Person, str]] = (),
) -> Decision:
    """The board agrees an earlier meeting's minutes as an accurate record at this item.

    Only someone with the APPROVE_MINUTES right (chair, vice-chair; the secretary where the
    board allows it) records it, at a meeting that has been held, for earlier minutes of
    the same board. The earlier meeting becomes MINUTES_APPROVED (frozen), pointing at this
    meeting; members' corrections accepted into the draft are named as "the amendments
    circulated" (the approved PDF lists them). Corrections stay in the earlier meeting's
    own field: the decision only says there were some, so their words go no further than
    those minutes do.
    Corrections to the attendance (person, status) are made after the freeze, so each is
    kept as an amendment of the attendance giving the approval as its reason.
    """
    meeting = Meeting.objects.select_related("board").get(pk=item.meeting_id)
    if not can(by, Perm.APPROVE_MINUTES, meeting.board):
        raise MinutesApprovalRefused(
            f"Only the chair or vice-chair of {meeting.board} may approve minutes."
        )
    if not may_agree_minutes_at(meeting):
        raise MinutesApprovalRefused(
            "Minutes can only be approved at a meeting that has been held: "
            "mark this meeting as held first."
        )
    earlier = Meeting.objects.select_for_update().get(pk=earlier.pk)
    if earlier.board_id != meeting.board_id or earlier.starts_at >= meeting.starts_at:
        raise MinutesApprovalRefused(
            "Only an earlier meeting of the same board can be approved here."
        )
    if earlier.is_frozen:
        raise MinutesApprovalRefused("Those minutes have already been approved.")
    corrections = corrections.strip()
    when = timezone.localtime(earlier.starts_at)
    amended = AmendmentProposal.objects.filter(
        item__meeting=earlier, status=AmendmentProposal.Status.ACCEPTED
    ).exists()
    text = (
        f"The notes of the meeting held on {when:%-d %B %Y} were agreed as an accurate record"
        + (", with the amendments circulated" if amended else "")
        + (", subject to the corrections recorded." if corrections else ".")
    )
    decision = add_decision(
        item=item, kind=Decision.Kind.AGREED, text=text, approves=earlier, by=by
    )
    earlier.status = Meeting.Status.MINUTES_APPROVED
    earlier.approved_at = meeting
    earlier.approved_on = timezone.localtime(meeting.starts_at).date()
    earlier.corrections = corrections
    earlier.save(
        update_fields=["status", "approved_at", "approved_on", "corrections", "updated_at"]
    )
    agreed = f"Corrected when the minutes were approved at the meeting of {meeting_day(meeting)}."
    for person, status in attendance_corrections:
        set_attendance(meeting=earlier, person=person, status=status, reason=agreed, by=by)
    schedule_minutes_pdfs(earlier)
    return decision


def meeting_day(meeting: Meeting) -> str:
    return f"{timezone.localtime(meeting.starts_at):%-d %B %Y}"


# --- the forward plan --------------------------------------------------------------


@transaction.atomic
def put_on_agenda(*, entry: ForwardPlanEntry, meeting: Meeting, by=None) -> AgendaItem:
    """A waiting forward-plan entry becomes an item of a later meeting of its board, which
    follows the item it came from; the entry is then on that agenda."""
    entry = ForwardPlanEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != ForwardPlanEntry.Status.WAITING:
        raise ValidationError("This matter is already on an agenda.")
    if entry.board_id != meeting.board_id:
        raise ValidationError("Only a meeting of the same board can take this matter.")
    source_item = entry.source_decision.item if entry.source_decision_id else None
    item = add_item(
        meeting=meeting,
        title=entry.title,
        confidential=bool(source_item and source_item.confidential),
        by=by,
    )
    if source_item is not None:
        item.follows = source_item
        item.save(update_fields=["follows"])
    entry.status = ForwardPlanEntry.Status.ON_AGENDA
    entry.item = item
    entry.save(update_fields=["status", "item"])
    return item


@transaction.atomic
def refer_to_parent(*, entry: ForwardPlanEntry, by=None) -> ForwardPlanEntry:
    """A matter goes on to the forward plan of the board this one reports to; both plans
    show the referral. A matter from an item considered in private is not referred: its
    title would reach a board that may not read it."""
    entry = (
        # Only the entry's row is locked: PostgreSQL locks no nullable side of a join.
        ForwardPlanEntry.objects.select_for_update(of=("self",))
        .select_related("board__parent", "source_decision__item")
        .get(pk=entry.pk)
    )
    parent = entry.board.parent
    if parent is None:
        raise ValidationError(f"{entry.board} reports to no other board.")
    if entry.source_decision_id and entry.source_decision.item.confidential:
        raise ValidationError(
            "This matter comes from an item considered in private, so it is not referred."
        )
    if entry.referrals.filter(board=parent).exists():
        raise ValidationError(f"This matter is already referred to {parent}.")
    return ForwardPlanEntry.objects.create(board=parent, title=entry.title, referred_from=entry)
