"""Reads for the actions pages: each builds its queryset with what its page shows, so a
page costs the same handful of queries however many actions a person or board has."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce, RowNumber, TruncDate
from django.urls import reverse
from django.utils import timezone

from boards.models import Board, Membership, Person
from boards.permissions import Perm, can, reach_of, reach_of_person
from meetings.models import LAST_DAY, Decision, Meeting

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


GROUP_SIZE = 25  # "my actions" shows each group's first this many, and links to the rest

# (slug, heading): the groups of "my actions", in the page's order.
GROUPS = (
    ("overdue", "Overdue"),
    ("due-soon", f"Due in the next {DUE_SOON_DAYS} days"),
    ("later", "Due later"),
    ("next-meeting", "By the next meeting"),
    ("done", "Recently done"),
)
OPEN_GROUPS = tuple(slug for slug, _title in GROUPS if slug != "done")
_GROUP_ATTRS = {
    "overdue": "overdue",
    "due-soon": "due_soon",
    "later": "later",
    "next-meeting": "by_next_meeting",
    "done": "recently_done",
}


@dataclass
class Group:
    slug: str
    title: str
    rows: list  # the first GROUP_SIZE (or a page of them)
    total: int  # how many the group holds

    @property
    def more(self) -> bool:
        return self.total > len(self.rows)


@dataclass
class MyActions:
    """The first GROUP_SIZE rows of each group, and how many each group holds."""

    overdue: list = field(default_factory=list)
    due_soon: list = field(default_factory=list)
    later: list = field(default_factory=list)
    by_next_meeting: list = field(default_factory=list)
    recently_done: list = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def open_count(self) -> int:
        return sum(self.totals.get(slug, 0) for slug in OPEN_GROUPS)

    @property
    def needs_attention(self) -> int:
        """Overdue and due soon: the navigation bar's number."""
        return self.totals.get("overdue", 0) + self.totals.get("due-soon", 0)

    def rows_of(self, slug: str) -> list:
        return getattr(self, _GROUP_ATTRS[slug])

    @property
    def groups(self) -> list[Group]:
        return [
            Group(slug, title, self.rows_of(slug), self.totals.get(slug, 0))
            for slug, title in GROUPS
        ]


@dataclass
class MyActionRow:
    """One "my actions" row: what the row shows, read as plain values (the page lists a
    person's open actions, and model instances for each action, item, meeting, board and
    decision cost more than the rest of the page)."""

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
    due_group: str
    # The group's order (KEYS): where the next page of a group starts.
    due_key: dt.date
    item_order: int
    order: int
    # Filled in after the query:
    is_overdue: bool = False
    co_owners: list[str] = field(default_factory=list)
    last_update_text: str | None = None
    last_update_at: dt.datetime | None = None
    last_update_by: str | None = None
    url: str = ""
    meeting_url: str = ""

    @property
    def row_key(self) -> str:
        """The key the row's rendered HTML is cached under (row_fingerprint)."""
        return row_fingerprint(self)

    def get_absolute_url(self) -> str:
        return self.url

    def get_status_display(self) -> str:
        return Action.Status(self.status).label

    @property
    def decision_label(self) -> str:
        return Decision.format_label(self.decision_number)

    @property
    def cursor(self) -> str:
        """Where the page after this row starts (see after_cursor)."""
        values = [getattr(self, attr) for _key, attr, _desc in keys_of(self.due_group)]
        return "~".join(v.isoformat() if hasattr(v, "isoformat") else str(v) for v in values)


_ROW_VALUES = (
    "pk", "text", "status", "closed_at", "due_on", "whole_board", "next_meeting_at",
    "board__name", "item__meeting_id", "item__meeting__starts_at", "item__number",
    "item__title", "decision__number", "decision__text", "due_group", "due_key",
    "item__order", "order",
)  # fmt: skip

# Each group's order, as (lookup, MyActionRow attribute, descending): unique (it ends in
# the id) and never null, so a page of a group can start after its last row (keyset).
_OPEN_KEYS = (
    ("due_key", "due_key", False),
    ("item__meeting__starts_at", "meeting_starts_at", False),
    ("item__order", "item_order", False),
    ("order", "order", False),
    ("pk", "pk", False),
)
_DONE_KEYS = (("closed_at", "closed_at", True), *_OPEN_KEYS)


def keys_of(group: str) -> tuple:
    return _DONE_KEYS if group == "done" else _OPEN_KEYS


def _order_by(keys) -> list:
    return [F(lookup).desc() if desc else F(lookup).asc() for lookup, _attr, desc in keys]


def _due_group(today: dt.date) -> Case:
    """Which group an action falls in, worked out by the database: the same rules as
    is_overdue and the due-soon window."""
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    missed_meeting = Q(due_on__isnull=True, next_meeting_at__lt=start_of_day(today))
    return Case(
        When(~Q(status=Action.Status.OPEN), then=Value("done")),
        When(Q(due_on__lt=today) | missed_meeting, then=Value("overdue")),
        When(due_on__isnull=True, then=Value("next-meeting")),
        When(due_on__lte=soon, then=Value("due-soon")),
        default=Value("later"),
        output_field=CharField(),
    )


def _mine(person: Person, today: dt.date) -> QuerySet:
    """The person's open and recently closed actions, each with its group and order key."""
    since = timezone.now() - dt.timedelta(days=RECENTLY_DONE_DAYS)
    return with_next_meeting(
        owed_by(person).filter(Q(status=Action.Status.OPEN) | Q(closed_at__gte=since))
    ).annotate(
        due_group=_due_group(today),
        # "By the next meeting" sorts at that meeting's date; not yet arranged, last.
        due_key=Coalesce("due_on", TruncDate("next_meeting_at"), Value(LAST_DAY)),
    )


def my_actions(person: Person, today: dt.date | None = None) -> MyActions:
    """A person's actions across their boards, grouped as "what do I owe, by when": the
    first GROUP_SIZE of each group and each group's size, in one query (a window numbers
    each group's rows), however many actions the person holds."""
    today = today or timezone.localdate()
    values = (
        _mine(person, today)
        .annotate(
            place=Window(
                RowNumber(), partition_by=[F("due_group")], order_by=_order_by(_DONE_KEYS)
            ),
            group_total=Window(Count("pk"), partition_by=[F("due_group")]),
        )
        .filter(place__lte=GROUP_SIZE)
        .order_by("due_group", "place")
        .values_list(*_ROW_VALUES, "group_total")
    )
    mine = MyActions()
    rows = []
    for *row, total in values:
        action = MyActionRow(*row)
        mine.totals[action.due_group] = total
        mine.rows_of(action.due_group).append(action)
        rows.append(action)
    _fill_in(rows, person, today)
    return mine


def my_action_group(
    person: Person,
    group: str,
    *,
    after: str = "",
    size: int = GROUP_SIZE,
    today: dt.date | None = None,
) -> tuple[list[MyActionRow], bool]:
    """One group of "my actions", a page at a time: the `size` rows after the `after`
    cursor (a row's `cursor`), and whether more follow. A bad cursor raises ValueError."""
    today = today or timezone.localdate()
    keys = keys_of(group)
    actions = _mine(person, today).filter(due_group=group).order_by(*_order_by(keys))
    if after:
        actions = actions.filter(after_cursor(keys, after))
    rows = [MyActionRow(*row) for row in actions.values_list(*_ROW_VALUES)[: size + 1]]
    _fill_in(rows[:size], person, today)
    return rows[:size], len(rows) > size


def after_cursor(keys, cursor: str) -> Q:
    """Rows after the one whose key values the cursor holds, in the keys' order: for keys
    a, b, c, `a > x or (a = x and b > y) or (a = x and b = y and c > z)`."""
    raw = cursor.split("~")
    if len(raw) != len(keys):
        raise ValueError("Not a cursor of this list.")
    model_fields = {
        "due_key": dt.date,
        "closed_at": dt.datetime,
        "item__meeting__starts_at": dt.datetime,
    }
    values = []
    for (lookup, _attr, _desc), text in zip(keys, raw, strict=True):
        kind = model_fields.get(lookup, int)
        value = kind.fromisoformat(text) if kind is not int else int(text)
        if isinstance(value, dt.datetime) and timezone.is_naive(value):
            raise ValueError("A cursor's times carry their offset.")
        values.append(value)
    after = Q(pk__in=[])
    equal = Q()
    for (lookup, _attr, desc), value in zip(keys, values, strict=True):
        after |= equal & Q(**{f"{lookup}__{'lt' if desc else 'gt'}": value})
        equal &= Q(**{lookup: value})
    return after


def _fill_in(rows: list[MyActionRow], person: Person, today: dt.date) -> None:
    """What a row shows besides its own columns: co-owners, last update, links, overdue."""
    co_owners = _owner_names([a.pk for a in rows if not a.whole_board], but=person)
    _attach_last_updates(rows)
    # Two reversals a page, not two a row: the rest is the id put in.
    action_url = reverse("actions:detail", args=[0]).removesuffix("0/")
    meeting_url = reverse("meetings:detail", args=[0]).removesuffix("0/")
    for action in rows:
        action.is_overdue = action.due_group == "overdue"
        action.co_owners = co_owners.get(action.pk, [])
        action.url = f"{action_url}{action.pk}/"
        action.meeting_url = f"{meeting_url}{action.meeting_pk}/"


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


# The navigation badge counts to this and then says "99+": a chair with a decade of
# "ALL" actions costs every page what a new member does.
NAV_COUNT_CAP = 99


def needs_attention_count(person: Person, today: dt.date | None = None) -> int:
    """Overdue plus due in the next week: the number in the navigation bar, counted up to
    one past NAV_COUNT_CAP."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    missed_meeting = Q(due_on__isnull=True, next_meeting_at__lt=start_of_day(today))
    return (
        with_next_meeting(owed_by(person).open())
        .filter(Q(due_on__lte=soon) | missed_meeting)
        .order_by()[: NAV_COUNT_CAP + 1]
        .count()
    )


# The home page counts a board's open actions to this and then says "999+".
OPEN_COUNT_CAP = 999


class _CountOf(Subquery):
    """How many rows a sub-select returns (a sliced one stops counting at its limit)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def open_actions_of(board_ref) -> _CountOf:
    """An annotation: the board's open actions, counted up to one past OPEN_COUNT_CAP
    through the partial index of open actions, however many a decade left open."""
    return _CountOf(
        Action.objects.open().filter(board=board_ref).order_by().values("pk")[: OPEN_COUNT_CAP + 1]
    )


# The log's own order, and the tie-break of every other sort: total (it ends in the id),
# so a page never repeats or skips a row and its reverse is exact (TwoEndedIds).
LOG_ORDER = ("-item__meeting__starts_at", "item__order", "order", "pk")


def board_log(board: Board, user) -> QuerySet:
    """Every action of a board that the user may see, ready for the log's rows; due_sort
    puts "by the next meeting" actions at that meeting's date when sorting by due date."""
    actions = (
        # The action's own board too (the same board): EXPLAIN on 200,000 actions showed
        # a scan of every action without it (324 ms for a deep page; 70 ms with it).
        for_listing(Action.objects.for_board(board).filter(board=board))
        .annotate(due_sort=Coalesce("due_on", TruncDate("next_meeting_at")))
        # The latest meeting's actions first: what a secretary opens the log for. An
        # index on (board, starts_at) serves this order a page at a time.
        .order_by(*LOG_ORDER)
    )
    return _readable(actions, board, user)


def _readable(actions: QuerySet, board: Board, user) -> QuerySet:
    """A board's actions that the user may read. Only for a reader who may not read the
    board's confidential items does an item's confidentiality leave any out: for the rest
    the filter is left off, so the planner walks the board's indexes in the order asked
    (with it, PostgreSQL expected a few hundred of 25,000 rows to pass and sorted them all)."""
    # perms_on gives the same answer as the reach (boards.permissions._reach), from the
    # membership the page has already read: no query of its own.
    if can(user, Perm.VIEW_CONFIDENTIAL, board):
        return actions.filter(board=board)
    return actions.visible_to(reach_of(user))


def due_sort_descending(sort: list[str] | None) -> bool | None:
    """For the log filter's chosen sort: None unless it is by due date, else whether
    latest first."""
    if sort and sort[0].lstrip("-") == "due":
        return sort[0].startswith("-")
    return None


def due_order(*, descending: bool = False) -> list[OrderBy]:
    """The log sorted by due date: the date it falls due (its own, or its next meeting's),
    then its meeting, then its id; actions with no date yet come last either way."""
    if descending:
        keys = [F("due_sort").desc(nulls_last=True), F("item__meeting__starts_at").desc()]
        return [*keys, F("pk").desc()]
    keys = [F("due_sort").asc(nulls_last=True), F("item__meeting__starts_at").asc()]
    return [*keys, F("pk").asc()]


class TwoEndedIds:
    """A list's ids for the Paginator, a page at a time from whichever end is nearer: the
    log's last page (its oldest actions) is the first of the reverse order, not an offset
    past every row before it (36 ms at 25,000 actions, against 1 ms). The order must be
    total (it ends in the id), so that its reverse is exact."""

    def __init__(self, ids: QuerySet, count: Callable[[], int]):
        self.ids, self._count = ids, count

    @cached_property
    def total(self) -> int:
        return self._count()

    def count(self) -> int:
        return self.total

    def __getitem__(self, page: slice) -> list[int]:
        start, stop = page.start or 0, page.stop
        if start > self.total - stop:
            backwards = self.ids.reverse()[max(self.total - stop, 0) : self.total - start]
            return list(backwards)[::-1]
        return list(self.ids[start:stop])


class DueOrderedIds(TwoEndedIds):
    """A board log's ids in due_order, a page at a time, as the merge of two orders an
    index serves (the dated actions by their board and date; those "by the next meeting"
    by their meeting, whose next meeting comes in the same order), then the undated.
    Sorting every action of a decade by the computed date cost 40 ms at 25,000."""

    def __init__(self, actions: QuerySet, count: Callable[[], int], *, descending: bool):
        super().__init__(actions.order_by(), count)
        self.descending = descending

    def _sorted(self, rows: QuerySet, *fields: str) -> QuerySet:
        sign = "-" if self.descending else ""
        return rows.order_by(*(f"{sign}{name}" for name in (*fields, "pk")))

    def __getitem__(self, page: slice) -> list[int]:
        start, stop, actions = page.start or 0, page.stop, self.ids
        keys = ("due_sort", "item__meeting__starts_at", "pk")
        dated = self._sorted(actions.filter(due_on__isnull=False), "due_on", keys[1])
        by_next = actions.filter(due_on__isnull=True, next_meeting_at__isnull=False)
        dated = list(dated.values_list(*keys)[:stop])
        by_next = list(self._sorted(by_next, keys[1]).values_list(*keys)[:stop])
        merged = sorted(dated + by_next, reverse=self.descending)
        ids = [pk for *_key, pk in merged[start:stop]]
        known = len(merged)
        if len(dated) < stop and len(by_next) < stop and stop > known:
            # Every dated action is in `merged`: the page runs on into those with no date.
            undated = actions.filter(due_on__isnull=True, next_meeting_at__isnull=True)
            undated = self._sorted(undated, keys[1]).values_list("pk", flat=True)
            ids += list(undated[max(start - known, 0) : stop - known])
        return ids


def log_page_ids(log, board: Board, user) -> TwoEndedIds:
    """What the board log's Paginator pages through: its filter's actions, as ids in the
    order chosen. Unfiltered, they are counted without the joins the order needs."""
    actions = log.qs
    count = actions.count if log.narrows() else lambda: board_log_count(board, user)
    descending = due_sort_descending(log.form.cleaned_data.get("sort"))
    if descending is not None:
        return DueOrderedIds(actions, count, descending=descending)
    return TwoEndedIds(actions.values_list("pk", flat=True), count)


def in_order(actions: QuerySet, ids: list[int]) -> list[Action]:
    """The actions with these ids, loaded as `actions` loads them, in the ids' order."""
    found = {action.pk: action for action in actions.filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def board_log_count(board: Board, user) -> int:
    """How many actions the unfiltered log holds: counted on the actions table alone
    through its board index, not through the meeting join the log's order needs."""
    return _readable(Action.objects.filter(board=board), board, user).count()


def matters_arising(meeting: Meeting, user) -> QuerySet:
    """Open actions from the board's earlier meetings: the "matters arising" at this one,
    the latest meeting's first (in agenda order), as the board goes through them."""
    return for_listing(_matters_arising(meeting, user), next_meeting_ids=True)


def matters_arising_ids(meeting: Meeting, user) -> QuerySet:
    """The matters arising's ids, in their order: what the screen pages through before it
    loads one page of them, not the listing's sub-selects for every row it counts."""
    return _matters_arising(meeting, user).values_list("pk", flat=True)


def _matters_arising(meeting: Meeting, user) -> QuerySet:
    # Both boards, the action's own (index action_open_board) and its meeting's: through
    # the meeting's alone PostgreSQL read every open action in the council (26,000 at
    # council scale) for a board's 600; through the action's alone it hashed every item
    # of the council to join them. 37 ms, now 7.
    actions = (
        Action.objects.open()
        .filter(board=meeting.board, item__meeting__board=meeting.board)
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
    # Only what a to-do shows (its source and due date): the owners and the last update
    # that a page row carries would cost a prefetch and three sub-selects an action.
    actions = with_next_meeting(
        owed_by(person)
        .filter(Q(status=Action.Status.OPEN) | Q(closed_at__gte=year_ago))
        .select_related("item__meeting__board")
        .order_by("pk")
    )
    return meetings, actions
