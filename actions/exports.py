"""The action log as a spreadsheet (CSV or XLSX), built with tablib from the same rows."""

import tablib
from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone

from boards.models import Board
from boards.spreadsheets import spreadsheet_file

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


def log_dataset(board: Board, actions, *, site_url: str = "") -> tablib.Dataset:
    data = tablib.Dataset(headers=HEADERS, title=f"Actions {board.slug}"[:31])
    for action in actions:
        owners = list(action.owners.all())
        meeting = action.item.meeting
        data.append(
            [
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
        )
    return data


def log_response(board: Board, actions, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Export as csv or xlsx.")
    data = log_dataset(board, actions, site_url=settings.SITE_URL)
    body = spreadsheet_file(data, fmt)
    if isinstance(body, str):
        body = body.encode("utf-8-sig")  # the BOM makes Excel read £ and names correctly
    response = HttpResponse(body, content_type=FORMATS[fmt])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{board.slug}-actions-{stamp}.{fmt}"'
    return response
