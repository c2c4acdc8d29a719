"""Reads for the actions pages: each builds its queryset with what its page shows, so a
page costs the same handful of queries however many actions a person or board has."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone

from boards.models import Board, Membership, Person
from boards.permissions import reach_of, reach_of_person
from meetings.models import Decision, Meeting

from .models import Action, ActionUpdate

DUE_SOON_DAYS = 7
RECENTLY_DONE_DAYS = 30


def start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def with_next_meeting(actions: QuerySet, *, ids: bool = False) -> QuerySet:
    """next_meeting_at: the board's next meeting after the action's own, which is when an
    action "by the next meeting" falls due (and where it comes up as matters arising);
    with `ids`, that meeting's id too."""
    following = Meeting.objects.filter(
        board=OuterRef("item__meeting__board"),
        starts_at__gt=OuterRef("item__meeting__starts_at"),
    ).order_by("starts_at")
    actions = actions.annotate(next_meeting_at=Subquery(following.values("starts_at")[:1]))
    if ids:
        actions = actions.annotate(next_meeting_id=Subquery(following.values("pk")[:1]))
    return actions


def with_last_update(actions: QuerySet) -> QuerySet:
    latest = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-at", "-pk")
    return actions.annotate(
        last_update_text=Subquery(latest.values("text")[:1]),
        last_update_at=Subquery(latest.values("at")[:1]),
        last_update_by=Subquery(latest.values("by__name")[:1]),
    )


def for_listing(actions: QuerySet, *, next_meeting_ids: bool = False) -> QuerySet:
    """Everything a row of actions shows: source, decision, owners, next meeting, last update."""
    return with_last_update(with_next_meeting(actions.with_source(), ids=next_meeting_ids))


def is_overdue(action: Action, today: dt.date) -> bool:
    if action.status != Action.Status.OPEN:
        return False
    if action.due_on:
        return action.due_on < today
    next_at = getattr(action, "next_meeting_at", None)
    return next_at is not None and timezone.localdate(next_at) < today


def owed_by(person: Person) -> QuerySet:
    """Actions the person owes and may read: named, or "ALL" on a board they sit on with
    a say (an observer watches the board's actions but does not owe them). A former
    member no longer reads the confidential ones they held."""
    return Action.objects.owned_by(person, observers_owe_all=False).visible_to(
        reach_of_person(person)
    )


@dataclass
class MyActions:
    overdue: list = field(default_factory=list)
    due_soon: list = field(default_factory=list)
    later: list = field(default_factory=list)
    by_next_meeting: list = field(default_factory=list)
    recently_done: list = field(default_factory=list)

    @property
    def open_count(self) -> int:
        return len(self.overdue) + len(self.due_soon) + len(self.later) + len(self.by_next_meeting)

    @property
    def groups(self):
        return [
            ("overdue", "Overdue", self.overdue),
            ("due-soon", f"Due in the next {DUE_SOON_DAYS} days", self.due_soon),
            ("later", "Due later", self.later),
            ("next-meeting", "By the next meeting", self.by_next_meeting),
            ("done", "Recently done", self.recently_done),
        ]


@dataclass
class MyActionRow:
    """One "my actions" row: what the row shows, read as plain values (the page lists a
    person's every open action, and model instances for each action, item, meeting,
    board and decision cost more than the rest of the page)."""

    pk: int
    text: str
    status: str
    closed_at: dt.datetime | None
    due_on: dt.date | None
    whole_board: bool
    next_meeting_at: dt.datetime | None
    board_name: str
    meeting_pk: int
    meeting_starts_at: dt.datetime
    item_number: str
    item_title: str
    decision_number: int | None
    decision_text: str | None
    # Filled in after the query:
    is_overdue: bool = False
    co_owners: list[str] = field(default_factory=list)
    last_update_text: str | None = None
    last_update_at: dt.datetime | None = None
    last_update_by: str | None = None

    @property
    def row_key(self) -> str:
        """The key the row's rendered HTML is cached under (row_fingerprint)."""
        return row_fingerprint(self)

    def get_absolute_url(self) -> str:
        return reverse("actions:detail", args=[self.pk])

    def get_status_display(self) -> str:
        return Action.Status(self.status).label

    @property
    def meeting_url(self) -> str:
        return reverse("meetings:detail", args=[self.meeting_pk])

    @property
    def decision_label(self) -> str:
        return Decision.format_label(self.decision_number)


_ROW_VALUES = (
    "pk", "text", "status", "closed_at", "due_on", "whole_board", "next_meeting_at",
    "board__name", "item__meeting_id", "item__meeting__starts_at", "item__number",
    "item__title", "decision__number", "decision__text",
)  # fmt: skip


def my_actions(person: Person, today: dt.date | None = None) -> MyActions:
    """A person's actions across their boards, grouped as "what do I owe, by when"."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    since = timezone.now() - dt.timedelta(days=RECENTLY_DONE_DAYS)
    values = (
        with_next_meeting(
            owed_by(person).filter(Q(status=Action.Status.OPEN) | Q(closed_at__gte=since))
        )
        .order_by("due_on", "item__meeting__starts_at", "item__order", "order", "pk")
        .values_list(*_ROW_VALUES)
    )
    rows = [MyActionRow(*row) for row in values]
    co_owners = _owner_names([a.pk for a in rows if not a.whole_board], but=person)
    _attach_last_updates(rows)
    mine = MyActions()
    for action in rows:
        action.is_overdue = is_overdue(action, today)
        action.co_owners = co_owners.get(action.pk, [])
        if action.status != Action.Status.OPEN:
            mine.recently_done.append(action)
        elif action.is_overdue:
            mine.overdue.append(action)
        elif action.due_on is None:
            mine.by_next_meeting.append(action)
        elif action.due_on <= soon:
            mine.due_soon.append(action)
        else:
            mine.later.append(action)
    mine.recently_done.sort(key=lambda a: a.closed_at, reverse=True)
    return mine


def _attach_last_updates(actions: list[MyActionRow]) -> None:
    """last_update_text/_at/_by, as with_last_update annotates them, in one query for the
    whole list: three correlated sub-selects a row cost the database more."""
    latest: dict[int, tuple] = {}
    updates = (
        ActionUpdate.objects.filter(action__in=[a.pk for a in actions])
        .order_by("action_id", "-at", "-pk")
        .values_list("action_id", "text", "at", "by__name")
    )
    for action_id, *update in updates:
        latest.setdefault(action_id, tuple(update))
    for action in actions:
        action.last_update_text, action.last_update_at, action.last_update_by = latest.get(
            action.pk, (None, None, None)
        )


def _owner_names(action_ids: list[int], *, but: Person) -> dict[int, list[str]]:
    """{action id: the display names of its other owners}, in one query: "my actions"
    shows co-owners by name only, so no Person objects are built for them."""
    names: dict[int, list[str]] = {}
    rows = (
        Action.owners.through.objects.filter(action_id__in=action_ids)
        .exclude(person=but)
        .order_by("person__name")
        .values_list("action_id", "person__title", "person__name")
    )
    for action_id, title, name in rows:
        names.setdefault(action_id, []).append(Person.format_name(title, name))
    return names


def row_fingerprint(action: MyActionRow) -> str:
    """A digest of everything a "my actions" row shows: the key its rendered HTML is
    cached under, so a row is drawn again exactly when something on it changed (the
    overdue flag included, which moves with the date)."""
    shown = list(vars(action).values())  # every field the row holds
    return hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()


def needs_attention_count(person: Person, today: dt.date | None = None) -> int:
    """Overdue plus due in the next week: the number in the navigation bar (two queries)."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    missed_meeting = Q(due_on__isnull=True, next_meeting_at__lt=start_of_day(today))
    return (
        with_next_meeting(owed_by(person).open())
        .filter(Q(due_on__lte=soon) | missed_meeting)
        .count()
    )


def board_log(board: Board, user) -> QuerySet:
    """Every action of a board that the user may see, ready for the log's rows; due_sort
    puts "by the next meeting" actions at that meeting's date when sorting by due date."""
    actions = (
        for_listing(Action.objects.for_board(board))
        .annotate(due_sort=Coalesce("due_on", TruncDate("next_meeting_at")))
        # The latest meeting's actions first: what a secretary opens the log for. An
        # index on (board, starts_at) serves this order a page at a time.
        .order_by("-item__meeting__starts_at", "item__order", "order", "pk")
    )
    return actions.visible_to(reach_of(user))


def board_log_count(board: Board, user) -> int:
    """How many actions the unfiltered log holds: counted on the actions table alone
    through its board index, not through the meeting join the log's order needs."""
    return Action.objects.filter(board=board).visible_to(reach_of(user)).count()


def matters_arising(meeting: Meeting, user) -> QuerySet:
    """Open actions from the board's earlier meetings: the "matters arising" at this one,
    the latest meeting's first (in agenda order), as the board goes through them."""
    actions = (
        for_listing(Action.objects.open().for_board(meeting.board), next_meeting_ids=True)
        .filter(item__meeting__starts_at__lt=meeting.starts_at)
        .order_by("-item__meeting__starts_at", "item__order", "order", "pk")
    )
    return actions.visible_to(reach_of(user))


def current_members(board: Board) -> QuerySet:
    """People who can be given an action on the board: current members who have not left."""
    return (
        Person.objects.current()
        .filter(memberships__in=Membership.objects.current().filter(board=board))
        .select_related("organisation")
        .distinct()
        .order_by("name")
    )


def leavers_with_open_actions(board: Board, today: dt.date | None = None) -> list[Person]:
    """People who have left, each with `open_actions` they still hold on the board."""
    today = today or timezone.localdate()
    actions = (
        for_listing(Action.objects.open().for_board(board))
        .filter(owners__left_on__lte=today)
        .distinct()
    )
    leavers: dict[int, Person] = {}
    for action in actions:
        for owner in action.owners.all():
            if owner.has_left(today):
                leaver = leavers.setdefault(owner.pk, owner)
                leaver.__dict__.setdefault("open_actions", []).append(action)
    return sorted(leavers.values(), key=lambda p: p.name)


def person_calendar(person: Person):
    """(meetings, actions) for a person's private feed: their boards' meetings from a year
    ago on, and their open and recently closed actions."""
    year_ago = timezone.now() - dt.timedelta(days=365)
    meetings = (
        Meeting.objects.visible_to(reach_of_person(person))
        .filter(starts_at__gte=year_ago)
        .select_related("board")
        .order_by("starts_at")
    )
    actions = for_listing(
        owed_by(person).filter(Q(status=Action.Status.OPEN) | Q(closed_at__gte=year_ago))
    )
    return meetings, actions
