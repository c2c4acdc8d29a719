"""The action log as a spreadsheet (CSV or XLSX), built with tablib from the same rows."""

from collections.abc import Iterator

import tablib
from django.conf import settings
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from boards.models import Board
from boards.spreadsheets import csv_response, spreadsheet_file

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


def log_rows(actions, *, site_url: str = "") -> Iterator[list]:
    """One row an action; `actions` carries its owners' organisations (prefetched)."""
    for action in actions:
        owners = list(action.owners.all())
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


def log_dataset(board: Board, actions, *, site_url: str = "") -> tablib.Dataset:
    return tablib.Dataset(
        *log_rows(actions, site_url=site_url),
        headers=HEADERS,
        title=f"Actions {board.slug}"[:31],
    )


def log_response(board: Board, actions, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """CSV streams, a chunk of actions read at a time (constant memory); XLSX is still
    built whole in memory, as openpyxl writes a workbook at the end."""
    if fmt not in FORMATS:
        raise Http404("Export as csv or xlsx.")
    stamp = timezone.localdate().isoformat()
    filename = f"{board.slug}-actions-{stamp}.{fmt}"
    if fmt == "csv":
        # the BOM makes Excel read £ and names correctly
        rows = log_rows(actions.iterator(chunk_size=1000), site_url=settings.SITE_URL)
        return csv_response(filename, HEADERS, rows, bom=True)
    body = spreadsheet_file(log_dataset(board, actions, site_url=settings.SITE_URL), fmt)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
