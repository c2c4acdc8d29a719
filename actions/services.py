"""Every change to an action: who may make it, and the update row that records it.

Rules, from the boards' terms of reference:
- the secretary or the chair records actions and changes their text, owners or due date;
- owners (named, or any member when the whole board owns it) and the secretary/chair may
  comment, close, drop or reopen;
- a person who has left cannot be given a new action; their open actions are reassigned
  in one step, and the update history says who held them before.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from boards.models import Board, Membership, Person
from boards.permissions import Perm, perms_on
from meetings.models import AgendaItem, Decision, Meeting
from meetings.people import meeting_date, possible_owners
from meetings.services import amend_or_refuse

from .models import Action, ActionUpdate


class ActionError(Exception):
    """A refused change; the message tells the person why, in the board's words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return self.message


class ActionPermissionDenied(ActionError):
    pass


# Sentinel: "leave the due date alone" differs from "due by the next meeting" (None).
UNCHANGED = object()


def _perms(person: Person | None, board: Board) -> frozenset[Perm]:
    if person is None or person.user_id is None:
        return frozenset()
    return perms_on(person.user, board)


def may_manage(person: Person | None, board: Board) -> bool:
    """The secretary and the chair manage a board's actions."""
    return Perm.MANAGE_ACTIONS in _perms(person, board)


def is_owner(action: Action, person: Person | None) -> bool:
    """A named owner, or any current member when the whole board owns the action."""
    if person is None:
        return False
    if action.whole_board:
        return Perm.VIEW in _perms(person, action.board)
    return any(owner.pk == person.pk for owner in action.owners.all())


def may_update(action: Action, person: Person | None) -> bool:
    """Owners and the secretary/chair may comment and change the status."""
    if person is None:
        return False
    perms = _perms(person, action.board)
    if Perm.MANAGE_ACTIONS in perms:
        return True
    return Perm.UPDATE_OWN_ACTIONS in perms and is_owner(action, person)


def _require_manager(person: Person | None, board: Board, what: str) -> None:
    if not may_manage(person, board):
        raise ActionPermissionDenied(f"Only the secretary or the chair of {board} may {what}.")


def _require_updater(action: Action, person: Person | None, what: str) -> None:
    if not may_update(action, person):
        raise ActionPermissionDenied(
            f"Only the action's owners and the secretary or chair of {action.board} may {what}."
        )


def _clean_text(text: str, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ActionError(f"{field} cannot be empty.")
    return text


def _check_owners(
    owners: Iterable[Person],
    whole_board: bool,
    already: Iterable[Person] = (),
    *,
    meeting: Meeting,
) -> list[Person]:
    """Someone must own the action: anyone in the meeting's attendance or of the board's
    partnership (not only members). Nobody who has left can be newly given it; one who
    already holds it stays until reassigned."""
    owners = list(dict.fromkeys(owners))  # keep order, drop repeats
    if whole_board:
        return []
    if not owners:
        raise ActionError('Choose at least one owner, or "All members".')
    already_ids = {p.pk for p in already}
    new = [p for p in owners if p.pk not in already_ids]
    left = [p for p in new if p.has_left()]
    if left:
        names = ", ".join(f"{p.display_name} (left {date_format(p.left_on)})" for p in left)
        raise ActionError(f"{names} has left and cannot own an action; choose someone else.")
    allowed = set(
        possible_owners(meeting).filter(pk__in=[p.pk for p in new]).values_list("pk", flat=True)
    )
    outside = [p for p in new if p.pk not in allowed]
    if outside:
        names = ", ".join(p.display_name for p in outside)
        raise ActionError(
            f"{names} is not in the attendance or the partnership of {meeting.board}; "
            "add them to the attendance first."
        )
    return owners


def earliest_due_on(meeting: Meeting, today: dt.date | None = None) -> dt.date:
    """A new action falls due no earlier than today, or, for a meeting already held (its
    minutes entered afterwards), no earlier than the meeting's own date."""
    return min(today or timezone.localdate(), meeting_date(meeting))


def _describe_due(due_on: dt.date | None) -> str:
    return date_format(due_on, "j F Y") if due_on else "by the next meeting"


def _describe_owners(owners: Iterable[Person], whole_board: bool) -> str:
    return "All members" if whole_board else " / ".join(p.display_name for p in owners)


def _describe_action(text: str, owners: Iterable[Person], action: Action) -> str:
    """An action as an amendment to the minutes records it: text, owners, due date."""
    return (
        f"{text} (owners: {_describe_owners(owners, action.whole_board)}; "
        f"due {_describe_due(action.due_on)})"
    )


def _user(person: Person | None):
    """Amendments name the signed-in user who made them."""
    return person.user if person is not None and person.user_id else None


@transaction.atomic
def record_action(
    *,
    item: AgendaItem,
    text: str,
    by: Person,
    owners: Iterable[Person] = (),
    whole_board: bool = False,
    due_on: dt.date | None = None,
    decision: Decision | None = None,
    reason: str = "",
) -> Action:
    """The secretary or chair records an action on an item: someone (or all members)
    owns it, due by a date or by the next meeting; a decision must be the same meeting's.
    On approved minutes that is an amendment (a reason is needed)."""
    board = item.meeting.board
    _require_manager(by, board, "record actions")
    text = _clean_text(text, "The action")
    owners = _check_owners(owners, whole_board, meeting=item.meeting)
    if decision is not None and decision.item.meeting_id != item.meeting_id:
        raise ActionError("The decision must be one made at the same meeting.")
    last = item.actions.order_by("-order").values_list("order", flat=True).first()
    action = Action.objects.create(
        item=item,
        text=text,
        whole_board=whole_board,
        due_on=due_on,
        decision=decision,
        order=(last or 0) + 1,
    )
    if owners:
        action.owners.set(owners)
    amend_or_refuse(
        meeting=item.meeting,
        what="action",
        after=f"Action recorded: {text} ({_describe_owners(owners, whole_board)}, "
        f"due {_describe_due(due_on)})",
        reason=reason,
        by=_user(by),
        item=item,
    )
    return action


@transaction.atomic
def update_action(
    *,
    action: Action,
    by: Person,
    text: str | None = None,
    owners: Iterable[Person] | None = None,
    whole_board: bool | None = None,
    due_on=UNCHANGED,
    reason: str = "",
) -> ActionUpdate | None:
    """Only the secretary or chair may change an action's text, owners or due date;
    the change is kept as an "Edited" update. Returns None when nothing changed.

    These are part of the minutes: once they are approved the change is an amendment
    (a reason is needed). Updates and status changes stay open (see add_update).
    """
    _require_manager(by, action.board, "change an action's text, owners or due date")
    before = _describe_action(action.text, list(action.owners.all()), action)
    changes = []
    fields = []
    if text is not None:
        text = _clean_text(text, "The action")
        if text != action.text:
            changes.append(f'Text changed from "{action.text}" to "{text}".')
            action.text = text
            fields.append("text")
    if due_on is not UNCHANGED and due_on != action.due_on:
        changes.append(
            f"Due date changed from {_describe_due(action.due_on)} to {_describe_due(due_on)}."
        )
        action.due_on = due_on
        fields.append("due_on")
    new_owners = None
    if owners is not None or whole_board is not None:
        wb = action.whole_board if whole_board is None else whole_board
        old_list = list(action.owners.all())
        new_list = _check_owners(
            owners if owners is not None else old_list, wb, old_list, meeting=action.item.meeting
        )
        if wb != action.whole_board or {p.pk for p in new_list} != {p.pk for p in old_list}:
            changes.append(
                f"Owners changed from {_describe_owners(old_list, action.whole_board)} "
                f"to {_describe_owners(new_list, wb)}."
            )
            action.whole_board = wb
            fields.append("whole_board")
            new_owners = new_list
    if not changes:
        return None
    amend_or_refuse(
        meeting=action.item.meeting,
        what="action",
        before=before,
        after=_describe_action(
            action.text, new_owners if new_owners is not None else action.owners.all(), action
        ),
        reason=reason,
        by=_user(by),
        item=action.item,
    )
    action.save(update_fields=fields)
    if new_owners is not None:
        action.owners.set(new_owners)
    return ActionUpdate.objects.create(
        action=action, by=by, kind=ActionUpdate.Kind.EDITED, text=" ".join(changes)
    )


@transaction.atomic
def add_update(
    *, action: Action, by: Person, text: str, meeting: Meeting | None = None
) -> ActionUpdate:
    """Owners and the secretary/chair report progress, optionally at a meeting
    (matters arising) of the action's own board."""
    _require_updater(action, by, "add an update")
    text = _clean_text(text, "The update")
    if meeting is not None and meeting.board_id != action.item.meeting.board_id:
        raise ActionError("An update can only be reported at a meeting of the same board.")
    return ActionUpdate.objects.create(action=action, by=by, text=text, meeting=meeting)


def _change_status(
    *, action: Action, by: Person, status: str, note: str, meeting: Meeting | None, what: str
) -> ActionUpdate:
    _require_updater(action, by, what)
    note = _clean_text(note, "The note")
    if status != Action.Status.OPEN and action.status != Action.Status.OPEN:
        raise ActionError(f"This action is already {action.get_status_display().lower()}.")
    if status == Action.Status.OPEN and action.status == Action.Status.OPEN:
        raise ActionError("This action is already open.")
    action.set_status(status)
    action.save(update_fields=["status", "closed_at"])
    return ActionUpdate.objects.create(
        action=action,
        by=by,
        text=note,
        meeting=meeting,
        kind=ActionUpdate.Kind.STATUS,
        status_to=status,
    )


@transaction.atomic
def close_action(
    *, action: Action, by: Person, note: str, meeting: Meeting | None = None
) -> ActionUpdate:
    """Owners and the secretary/chair mark an open action done; the note says what was done."""
    return _change_status(
        action=action,
        by=by,
        status=Action.Status.DONE,
        note=note,
        meeting=meeting,
        what="mark this action done",
    )


@transaction.atomic
def drop_action(
    *, action: Action, by: Person, note: str, meeting: Meeting | None = None
) -> ActionUpdate:
    """Owners and the secretary/chair drop an open action; the note says why."""
    return _change_status(
        action=action,
        by=by,
        status=Action.Status.DROPPED,
        note=note,
        meeting=meeting,
        what="drop this action",
    )


@transaction.atomic
def reopen_action(*, action: Action, by: Person, note: str) -> ActionUpdate:
    """Owners and the secretary/chair reopen a done or dropped action, saying why."""
    return _change_status(
        action=action,
        by=by,
        status=Action.Status.OPEN,
        note=note,
        meeting=None,
        what="reopen this action",
    )


@transaction.atomic
def reassign_actions(
    *,
    board: Board,
    leaver: Person,
    to: Person,
    by: Person,
    actions: Iterable[Action] | None = None,
) -> list[ActionUpdate]:
    """The secretary or chair hands a leaver's open actions on the board to one person in
    one step; each action's history records who held it before."""
    _require_manager(by, board, "reassign actions")
    if to.pk == leaver.pk:
        raise ActionError("Choose someone other than the person who has left.")
    if to.has_left():
        raise ActionError(f"{to.display_name} has left too; choose a current member.")
    if not Membership.objects.current().filter(board=board, person=to).exists():
        raise ActionError(f"{to.display_name} is not a current member of {board}.")
    open_actions = (
        Action.objects.open()
        .for_board(board)
        .filter(owners=leaver)
        .select_related("item__meeting__board")
        .prefetch_related("owners")
    )
    if actions is not None:
        open_actions = open_actions.filter(pk__in=[a.pk for a in actions])
    open_actions = list(open_actions)
    if not open_actions:
        raise ActionError(f"{leaver.display_name} has no open actions on {board} to reassign.")
    left = f" (left {date_format(leaver.left_on, 'j F Y')})" if leaver.left_on else ""
    updates = []
    now = timezone.now()
    for action in open_actions:
        before = list(action.owners.all())
        # The owners are part of the minutes; the leaving is the amendment's reason.
        amend_or_refuse(
            meeting=action.item.meeting,
            what="action",
            before=_describe_action(action.text, before, action),
            after=_describe_action(
                action.text, [p for p in before if p.pk != leaver.pk] + [to], action
            ),
            reason=f"{leaver.display_name}{left} has left; their open actions were reassigned.",
            by=_user(by),
            item=action.item,
        )
        action.owners.remove(leaver)
        action.owners.add(to)
        updates.append(
            ActionUpdate(
                action=action,
                by=by,
                at=now,
                kind=ActionUpdate.Kind.REASSIGNED,
                text=(
                    f"Reassigned from {leaver.display_name}{left} to {to.display_name}. "
                    f"Held before by {_describe_owners(before, False)}."
                ),
            )
        )
    return ActionUpdate.objects.bulk_create(updates)


@transaction.atomic
def renew_calendar_token(*, person: Person) -> str:
    """A new private calendar address; the old one stops working at once."""
    person.calendar_token = secrets.token_urlsafe()
    person.save(update_fields=["calendar_token"])
    return person.calendar_token
