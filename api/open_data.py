"""Open data: what a board has published – approved minutes, public items – in shared shapes.

- Open Civic Data "Event" (https://open-civic-data.readthedocs.io, OCDEP 4): one per meeting.
- OParl-like (https://oparl.org 1.1): a body's meetings with `public` on every agenda item;
  an exempt item keeps its place and number but none of its content.
- 360Giving (https://standard.threesixtygiving.org): each allocation from a fund, by its
  column titles.
Nothing here comes from a meeting whose minutes are not yet approved, and nothing from a
confidential item: not its minutes, its decisions, nor an allocation it made.
"""

from collections.abc import Callable
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from boards.models import Board
from boards.permissions import Reach
from funding.models import FundEntry
from meetings.models import AgendaItem, Attendance, Meeting

OCD_NOTE = {
    Attendance.Status.PRESENT: "present",
    Attendance.Status.IN_ATTENDANCE: "in attendance",
    Attendance.Status.APOLOGIES: "apologies",
    Attendance.Status.ABSENT: "absent",
}
OPARL = "https://schema.oparl.org/1.1/"

# Turns a site path into an absolute URL (the request's build_absolute_uri).
Absolute = Callable[[str], str]


def _public(board: Board) -> Reach:
    """Open data are read by anyone: the reader of the public copy."""
    return Reach.copy_of(board.pk, confidential=False)


def published_meetings(board: Board):
    """Meetings whose minutes are approved, oldest first, with what the exports print."""
    return (
        Meeting.objects.filter(board=board, status=Meeting.Status.MINUTES_APPROVED)
        .select_related("board")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=AgendaItem.objects.order_by("order", "pk").prefetch_related("decisions"),
            ),
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("person", "representing").order_by(
                    "order", "person__name"
                ),
            ),
        )
        .order_by("starts_at", "pk")
    )


def _iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _iso_date(day) -> str | None:
    return day.isoformat() if day else None


def _decision_notes(item) -> list[str]:
    return [f"{d.label} {d.get_kind_display()}: {d.text}" for d in item.decisions.all()]


def ocd_event(meeting: Meeting, absolute: Absolute) -> dict:
    board = meeting.board
    public = _public(board)
    public_items = [item for item in meeting.items.all() if public.sees(item)]
    participants = [{"name": board.name, "entity_type": "organization", "note": "host"}]
    participants += [
        {
            "name": attendance.person.display_name,
            "entity_type": "person",
            "note": OCD_NOTE.get(attendance.status, attendance.status),
        }
        for attendance in meeting.attendances.all()
    ]
    return {
        "_type": "event",
        "id": f"minutebook-meeting-{meeting.pk}",
        "name": meeting.display_title,
        "description": meeting.purpose,
        "classification": meeting.get_kind_display().lower(),
        "start_date": _iso(meeting.starts_at),
        "end_date": _iso(meeting.ends_at),
        "all_day": False,
        "status": "passed",
        "location": {"name": meeting.venue, "note": "", "coordinates": None},
        "participants": participants,
        "agenda": [
            {
                "order": str(position),
                "description": f"{item.number}. {item.title}" if item.number else item.title,
                "classification": [],
                "subjects": [],
                "notes": ([item.minutes] if item.minutes else []) + _decision_notes(item),
                "related_entities": [],
                "media": [],
            }
            for position, item in enumerate(public_items, start=1)
        ],
        "documents": [],
        "media": [],
        "links": [],
        "sources": [{"url": absolute(meeting.get_absolute_url()), "note": "Minutebook"}],
        "extras": {
            "approved_on": meeting.approved_on.isoformat() if meeting.approved_on else None
        },
    }


def ocd_events(board: Board, absolute: Absolute) -> list[dict]:
    return [ocd_event(meeting, absolute) for meeting in published_meetings(board)]


def _oparl_item(item, meeting_id: str, absolute: Absolute) -> dict:
    public = _public(item.meeting.board).sees(item)
    shape = {
        "type": f"{OPARL}AgendaItem",
        "id": absolute(f"{meeting_id}#item-{item.pk}"),
        "meeting": meeting_id,
        "number": item.number,
        "order": item.order,
        "public": public,
    }
    if not public:
        # An exempt item keeps its place in the agenda, nothing more.
        return shape | {"name": "Exempt item"}
    decisions = list(item.decisions.all())
    return shape | {
        "name": item.title,
        "result": ", ".join(dict.fromkeys(d.get_kind_display() for d in decisions)),
        "resolutionText": "\n".join(f"{d.label} {d.text}" for d in decisions),
        "minutes": item.minutes,
    }


def oparl_body(board: Board, absolute: Absolute) -> dict:
    meetings = []
    for meeting in published_meetings(board):
        meeting_id = absolute(meeting.get_absolute_url())
        meetings.append(
            {
                "type": f"{OPARL}Meeting",
                "id": meeting_id,
                "name": meeting.display_title,
                "meetingState": "minutes approved",
                "start": _iso(meeting.starts_at),
                "end": _iso(meeting.ends_at),
                "location": {"type": f"{OPARL}Location", "description": meeting.venue},
                "participant": [
                    a.person.display_name
                    for a in meeting.attendances.all()
                    if a.status in (Attendance.Status.PRESENT, Attendance.Status.IN_ATTENDANCE)
                ],
                "agendaItem": [
                    _oparl_item(item, meeting_id, absolute) for item in meeting.items.all()
                ],
            }
        )
    return {
        "type": f"{OPARL}Organization",
        "id": absolute(board.get_absolute_url()),
        "name": board.name,
        "classification": "partnership board",
        "meeting": meetings,
    }


def published_allocations(board: Board):
    """Allocations made by a public decision in approved minutes, and not since reversed."""
    return (
        FundEntry.objects.disclosed_to(_public(board))
        .filter(
            fund__board=board,
            kind=FundEntry.Kind.ALLOCATION,
            amount__gt=0,
            reversed_by__isnull=True,
            decision__item__meeting__status=Meeting.Status.MINUTES_APPROVED,
        )
        .select_related(
            "fund__board", "decision__item__meeting", "recipient", "lead__organisation"
        )
        .order_by("decision__item__meeting__starts_at", "pk")
    )


GIVING_COLUMNS = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Title",
    "Last Modified",
]


def giving_grant(entry: FundEntry) -> dict:
    """One allocation by 360Giving's column titles; amounts in pounds."""
    board = entry.fund.board
    decision = entry.decision
    recipient = entry.recipient or (entry.lead.organisation if entry.lead else None)
    return {
        "Identifier": f"360G-minutebook-{board.slug}-{entry.pk}",
        "Title": entry.purpose or decision.text[:200],
        "Description": decision.text,
        "Currency": "GBP",
        "Amount Awarded": float(Decimal(entry.amount) / 100),
        "Award Date": timezone.localtime(decision.item.meeting.starts_at).date().isoformat(),
        "Recipient Org:Identifier": f"360G-minutebook-org-{recipient.pk}" if recipient else "",
        "Recipient Org:Name": recipient.name if recipient else "",
        "Funding Org:Identifier": f"360G-minutebook-board-{board.slug}",
        "Funding Org:Name": board.name,
        "Grant Programme:Title": entry.fund.name,
        "Last Modified": timezone.localtime(entry.recorded_at).isoformat(),
    }


def giving_grants(board: Board) -> list[dict]:
    return [giving_grant(entry) for entry in published_allocations(board)]
