"""The action log as a spreadsheet, CSV streamed or XLSX built in the background, from the
same rows."""

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from itertools import islice

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Max
from django.http import QueryDict, StreamingHttpResponse
from django.utils import timezone

from boards.models import Board
from boards.spreadsheets import csv_response, xlsx_file
from meetings import builds

from . import selectors
from .models import Action, ActionUpdate

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
HEADERS = [
    "Meeting",
    "Item",
    "Action",
    "Owners",
    "Organisations",
    "Decision",
    "Due",
    "Status",
    "Closed",
    "Last update",
    "Link",
]


def _due(action) -> str:
    if action.due_on:
        return action.due_on.isoformat()
    if getattr(action, "next_meeting_at", None):
        return f"By next meeting ({timezone.localdate(action.next_meeting_at).isoformat()})"
    return "By next meeting"


def log_rows(actions, owners_of: dict[int, list], *, site_url: str = "") -> Iterator[list]:
    """One row an action; `owners_of`: each action's owners (their organisations read)."""
    for action in actions:
        owners = owners_of.get(action.pk, [])
        meeting = action.item.meeting
        yield [
            timezone.localdate(meeting.starts_at).isoformat(),
            str(action.item),
            action.text,
            action.owner_label(owners) if owners or action.whole_board else "",
            "All"
            if action.whole_board
            else " / ".join(sorted({p.organisation.label for p in owners if p.organisation})),
            f"{action.decision.label} {action.decision.text}" if action.decision else "",
            _due(action),
            action.get_status_display(),
            timezone.localdate(action.closed_at).isoformat() if action.closed_at else "",
            action.last_update_text or "",
            f"{site_url}{action.get_absolute_url()}",
        ]


# What a row does not show, left unread: an item's minutes, a meeting's purpose.
UNREAD = (
    "item__minutes",
    "item__meeting__purpose",
    "item__meeting__corrections",
    "item__meeting__board__description",
    "item__meeting__board__standard_items",
    "board__description",
    "board__standard_items",
)
CHUNK = 500


def _owners_of(action_ids: list[int]) -> dict[int, list]:
    owners = defaultdict(list)
    rows = Action.owners.through.objects.filter(action_id__in=action_ids)
    for row in rows.select_related("person__organisation").order_by("pk"):
        owners[row.action_id].append(row.person)
    return owners


def export_rows(actions) -> Iterator[list]:
    """The log's rows, read a chunk of actions at a time, with the chunk's owners as plain
    rows: the memory of one chunk however long the log. (Prefetched, each action kept a
    queryset that pointed back at it: only the cycle collector freed them, and a
    25,000-row export peaked at 33 MB.)"""
    rows = actions.defer(*UNREAD).prefetch_related(None).iterator(chunk_size=CHUNK)
    while chunk := list(islice(rows, CHUNK)):
        yield from log_rows(chunk, _owners_of([a.pk for a in chunk]), site_url=settings.SITE_URL)


def log_csv_response(board: Board, actions) -> StreamingHttpResponse:
    """The CSV streams (the spreadsheet is built in the background: `log_xlsx_job`)."""
    filename = f"{board.slug}-actions-{timezone.localdate().isoformat()}.csv"
    # the BOM makes Excel read £ and names correctly
    return csv_response(filename, HEADERS, export_rows(actions), bom=True)


def _log_version(board: Board, actions) -> str:
    """What the spreadsheet is made from, cheaply: which actions (count, newest), and the
    latest change to any of the board's actions, owners, updates, meetings or items. A
    person renamed shows from the next such change or the next day (the date is in it)."""
    from meetings.models import AgendaItem, Meeting

    chosen = Action.objects.filter(pk__in=actions.values("pk")).aggregate(
        n=Count("pk"), last=Max("pk")
    )
    changes = [
        Action.history.filter(board_id=board.pk).aggregate(at=Max("history_date"))["at"],
        ActionUpdate.objects.filter(action__board=board).aggregate(at=Max("at"))["at"],
        Meeting.objects.filter(board=board).aggregate(at=Max("updated_at"))["at"],
        AgendaItem.objects.filter(meeting__board=board).aggregate(at=Max("updated_at"))["at"],
    ]
    return f"{timezone.localdate()}|{chosen['n']}|{chosen['last']}|{changes}"


@builds.builder("action-log-xlsx")
def log_xlsx_job(*, board_id: int, user_id: int, query: str) -> builds.Job | None:
    """The log as the reader filtered it, as an Excel workbook built in the background
    (openpyxl's write-only mode: rows go to disk as they come, so memory stays flat)."""
    from .filters import ActionLogFilter

    board = Board.objects.filter(pk=board_id).first()
    user = get_user_model().objects.filter(pk=user_id).first()
    if board is None or user is None:
        return None
    log = ActionLogFilter(QueryDict(query), queryset=selectors.board_log(board, user), board=board)
    actions = log.qs
    version = f"{board_id}|{user_id}|{query}|{_log_version(board, actions)}"

    def make(report) -> bytes:
        total = actions.count()
        report(0, total=total or 1)
        rows = export_rows(actions)
        return xlsx_file(f"Actions {board.slug}"[:31], HEADERS, rows, report=report, every=1000)

    return builds.Job(
        kind="action-log-xlsx",
        key="xlsx-" + hashlib.sha256(version.encode()).hexdigest(),
        filename=f"{board.slug}-actions-{timezone.localdate().isoformat()}.xlsx",
        params={"board_id": board_id, "user_id": user_id, "query": query},
        make=make,
        ext="xlsx",
    )
