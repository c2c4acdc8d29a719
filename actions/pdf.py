"""The board's action log as a PDF: open actions by owner, with source meeting and due date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import timezone

from boards.models import Board
from meetings import builds
from meetings import pdf as meetings_pdf

from . import selectors
from .models import Action

WHOLE_BOARD = "The whole board (ALL)"


@dataclass
class OwnerActions:
    owner: str
    organisation: str = ""
    actions: list[Action] = field(default_factory=list)


def open_actions_by_owner(board: Board, user, today: dt.date) -> list[OwnerActions]:
    """Each owner's open actions, soonest due first; a shared action is listed under each
    of its owners, and "ALL" actions under the whole board, first."""
    actions = selectors.board_log(board, user).open()
    groups: dict[object, OwnerActions] = {}
    for action in actions:
        action.is_overdue = selectors.is_overdue(action, today)
        owners = list(action.owners.all())
        if action.whole_board or not owners:
            groups.setdefault("all", OwnerActions(owner=WHOLE_BOARD)).actions.append(action)
        for person in owners:
            group = groups.setdefault(
                person.pk,
                OwnerActions(
                    owner=person.display_name,
                    organisation=person.organisation.label if person.organisation else "",
                ),
            )
            group.actions.append(action)
    never = dt.date.max
    for group in groups.values():
        group.actions.sort(key=lambda a: (a.due_on or never, a.item.meeting.starts_at, a.pk))
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] != "all", kv[1].owner.lower()))
    return [group for _, group in ordered]


def action_log_html(board: Board, user, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    groups = open_actions_by_owner(board, user, today)
    return render_to_string(
        "actions/pdf/log.html",
        {
            "board": board,
            "today": today,
            "groups": groups,
            "count": len({a.pk for g in groups for a in g.actions}),
        },
    )


@builds.builder("action-log-pdf")
def action_log_job(*, board_id: int, user_id: int) -> builds.Job | None:
    """The open actions by owner as the reader sees them today, named by its HTML: built
    in the background (1,270 actions take WeasyPrint many seconds), once per content."""
    board = Board.objects.filter(pk=board_id).first()
    user = get_user_model().objects.filter(pk=user_id).first()
    if board is None or user is None:
        return None
    today = timezone.localdate()
    html = action_log_html(board, user, today)
    return builds.Job(
        kind="action-log-pdf",
        key="log-" + meetings_pdf.content_key(html),
        filename=f"{board.slug}-action-log-{today:%Y-%m-%d}.pdf",
        params={"board_id": board_id, "user_id": user_id},
        make=lambda report: meetings_pdf.html_to_pdf(html),
        total=0,  # one render, no steps to count: the page shows a moving bar
    )
