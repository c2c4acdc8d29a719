"""Action reminders: which are due (planning) and getting each one out exactly once (sending).

Reminder rows are an outbox. One idempotent pass plans the day's rows (the unique
constraint on action x person x kind x day makes a second pass a no-op), then senders
claim rows with a locked, conditional UPDATE, send, and mark them sent. Nothing is
scheduled in the broker: a lost Celery message or a Redis restart loses nothing, because
the next pass finds the same rows in the database.

Every date here is a Europe/London date, whatever the server's clock or the `now` given.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import logging
import secrets
import smtplib
import time
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.db.models.functions import Now
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from boards.models import Board, Membership, Person, RecordChange
from boards.permissions import Reach, reaches_of_people
from boards.unsubscribe import unsubscribe_token
from meetings.models import Meeting

from .models import Action, Reminder, ReminderPlanFailure, ReminderPlanRun

log = logging.getLogger(__name__)

LONDON = ZoneInfo("Europe/London")
DIGEST_AT = dt.time(7, 0)
# Overdue reminders go out the day after the due date, then weekly, this many in all.
OVERDUE_REPEATS = 4
# More than this many days overdue, the board secretary hears about it.
ESCALATE_AFTER_DAYS = 14
# A pass that did not run for a while still sends what it missed, but not weeks-old news.
CATCH_UP_DAYS = 7
# SMTP failures: retried after 1, 2, 4, 8 minutes, then the row is "failed".
MAX_ATTEMPTS = 5
RETRY_BASE = dt.timedelta(minutes=1)
# People whose rows one sender claims at a time.
CLAIM_PEOPLE = 25

Kind = Reminder.Kind
Status = Reminder.Status


def claim_timeout() -> dt.timedelta:
    """A claim older than this belongs to a sender that died: the row may be taken again."""
    return dt.timedelta(seconds=getattr(settings, "REMINDER_CLAIM_TIMEOUT", 600))


# --- Time: London dates and the 07:00 digest -------------------------------------------


def london_date(at: dt.datetime) -> dt.date:
    """The calendar day in London at an instant (an aware datetime in any time zone)."""
    return at.astimezone(LONDON).date()


def digest_at(day: dt.date) -> dt.datetime:
    """07:00 London time on a day, as an aware instant: 06:00 UTC in summer, 07:00 in winter."""
    return dt.datetime.combine(day, DIGEST_AT, tzinfo=LONDON)


def digest_is_open(now: dt.datetime) -> bool:
    """Has the day's morning digest time come (07:00 London, across the clock changes)?"""
    return now >= digest_at(london_date(now))


# --- Planning: pure rules -----------------------------------------------------------------


@dataclass(frozen=True)
class ActionDates:
    """What the rules need to know about one action, in London dates."""

    circulated_on: dt.date  # when its owners could first know of it
    due_on: dt.date | None  # its due date, or the next meeting's date; None: not known yet
    days_before: int = 7
    overdue_repeats: int = OVERDUE_REPEATS


def _shift(day: dt.date, days: int) -> dt.date | None:
    """The day `days` later (or earlier), or None past the calendar's ends (years 1-9999)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def reminder_days(dates: ActionDates) -> dict[str, set[dt.date]]:
    """Every (kind, day) this action can ever be reminded on; the rules in one place.

    An action circulated on or after its due date is not "new" news: its first reminder is
    "due today", or "overdue" on the day it was circulated. Days beyond the calendar's ends
    (a due date of 9999-12-31 has no day after) are simply never reminded on.
    """
    due = dates.due_on
    late = due is not None and due <= dates.circulated_on
    days: dict[str, set[dt.date]] = {Kind.ASSIGNED: set() if late else {dates.circulated_on}}
    if due is None:
        return days
    soon = _shift(due, -dates.days_before)
    # Due soon only if it falls after the owners first heard of the action.
    days[Kind.DUE_SOON] = (
        {soon}
        if dates.days_before > 0 and soon is not None and soon >= dates.circulated_on
        else set()
    )
    days[Kind.DUE_TODAY] = {due}
    days[Kind.OVERDUE] = {_shift(due, 1 + 7 * week) for week in range(dates.overdue_repeats)}
    if due < dates.circulated_on:
        days[Kind.OVERDUE].add(dates.circulated_on)
    days[Kind.ESCALATED] = {_shift(due, ESCALATE_AFTER_DAYS + 1)}
    for kind in (Kind.OVERDUE, Kind.ESCALATED):
        days[kind].discard(None)
    return days


def reminders_due(dates: ActionDates, today: dt.date) -> set[tuple[str, dt.date]]:
    """The (kind, day) rows a pass on `today` plans: never a future day, never stale news.

    Assigned: from circulation, for a week. Due soon: from its day until the due date.
    Due today: on the day. Overdue: the latest weekly one. Escalated: from 15 days overdue,
    for a week. Nothing at all before the minutes are circulated.
    """
    if today < dates.circulated_on:
        return set()
    planned = set()
    for kind, days in reminder_days(dates).items():
        past = [day for day in days if day <= today]
        if not past:
            continue
        day = max(past)
        if kind == Kind.DUE_SOON and today >= dates.due_on:
            continue
        if kind == Kind.DUE_TODAY and today != day:
            continue
        if kind == Kind.OVERDUE and (today - day).days >= 7:
            continue
        if kind in (Kind.ASSIGNED, Kind.ESCALATED) and (today - day).days > CATCH_UP_DAYS:
            continue
        planned.add((kind, day))
    return planned


# --- Planning: the pass -----------------------------------------------------------------


@dataclass
class PlanResult:
    created: int = 0
    withdrawn: int = 0
    failures: dict[int, str] = field(default_factory=dict)  # action id: error


def _next_meeting_dates(actions) -> dict[int, dt.date | None]:
    """For "by the next meeting" actions: the London date of the board's next meeting."""
    undated = [a for a in actions if a.due_on is None]
    if not undated:
        return {}
    board_ids = {a.item.meeting.board_id for a in undated}
    earliest = min(a.item.meeting.starts_at for a in undated)
    starts: dict[int, list[dt.datetime]] = defaultdict(list)
    for board_id, starts_at in (
        Meeting.objects.filter(board_id__in=board_ids, starts_at__gt=earliest)
        .order_by("starts_at")
        .values_list("board_id", "starts_at")
    ):
        starts[board_id].append(starts_at)
    found = {}
    for action in undated:
        meeting = action.item.meeting
        later = [s for s in starts[meeting.board_id] if s > meeting.starts_at]
        found[action.pk] = london_date(later[0]) if later else None
    return found


def _board_members(board_ids, today) -> dict[int, list[Person]]:
    members = defaultdict(list)
    for membership in (
        Membership.objects.current(on=today)
        .filter(board_id__in=board_ids)
        .select_related("person")
        .order_by("pk")
    ):
        members[membership.board_id].append(membership.person)
    return members


def _board_secretaries(boards, today) -> dict[int, Person | None]:
    """The board's named secretary, or else a current member in the secretary role."""
    secretaries = {board.pk: board.secretary for board in boards}
    missing = [pk for pk, person in secretaries.items() if person is None]
    for membership in (
        Membership.objects.current(on=today)
        .filter(board_id__in=missing, role=Membership.Role.SECRETARY)
        .select_related("person")
        .order_by("pk")
    ):
        secretaries[membership.board_id] = secretaries[membership.board_id] or membership.person
    return secretaries


def _circulated_at(action: Action) -> dt.datetime:
    """When the owners could first know of the action: circulation, or its later creation."""
    return max(action.item.meeting.minutes_circulated_at, action.created_at)


def _became_due_at(action: Action, kind: str, day: dt.date) -> dt.datetime:
    """The instant a reminder fell due, which decides the morning digest it belongs to.

    Dated reminders fall due at the start of their London day; the "assigned" notice when
    the minutes went out. A replayed day (`--now`) thus plans what a live beat would have.
    """
    if kind == Kind.ASSIGNED:
        return _circulated_at(action)
    return dt.datetime.combine(day, dt.time(), tzinfo=LONDON)


def action_dates(action: Action, *, next_meeting_on: dt.date | None) -> ActionDates:
    return ActionDates(
        circulated_on=london_date(_circulated_at(action)),
        due_on=action.due_on or next_meeting_on,
        days_before=action.item.meeting.board.reminder_days_before,
    )


def _overdue_when_circulated(action: Action, next_meeting_on: dt.date | None) -> bool:
    dates = action_dates(action, next_meeting_on=next_meeting_on)
    return dates.due_on is not None and dates.due_on < dates.circulated_on


@dataclass
class _PlanContext:
    """What planning one action needs from the pass: its day and the boards' people."""

    now: dt.datetime
    today: dt.date
    next_meeting: dict[int, dt.date | None]
    members: dict[int, list[Person]]
    secretaries: dict[int, Person | None]
    reaches: dict[int, Reach]  # what each person may read: no reminder of what they may not


def _plan_action(action: Action, ctx: _PlanContext) -> tuple[list[Reminder], set]:
    """One action's rows due now, and the keys of every row it still wants (sent or to come)."""
    board_id = action.item.meeting.board_id
    dates = action_dates(action, next_meeting_on=ctx.next_meeting.get(action.pk))
    owners = {p.pk: p for p in action.owners.all()}
    if action.whole_board:
        owners.update({p.pk: p for p in ctx.members[board_id]})
    owners = [p for p in owners.values() if not p.has_left(ctx.today)]
    secretary = ctx.secretaries.get(board_id)
    escalate_to = [secretary] if secretary else []

    def people(kind):
        return [
            p
            for p in (escalate_to if kind == Kind.ESCALATED else owners)
            if p.wants_reminder(kind) and action.is_visible_to(ctx.reaches[p.pk])
        ]

    due_now = reminders_due(dates, ctx.today)
    # Rows still to come stay; a past row the rules no longer plan (a "due soon" once
    # the due date has passed, say) is superseded and withdrawn if still unsent.
    to_come = {
        (kind, day)
        for kind, days in reminder_days(dates).items()
        for day in days
        if day > ctx.today
    }
    wanted = {
        (action.pk, p.pk, kind, day) for kind, day in due_now | to_come for p in people(kind)
    }
    rows = [
        Reminder(
            action=action,
            person=p,
            kind=kind,
            scheduled_on=day,
            created_at=min(ctx.now, _became_due_at(action, kind, day)),
        )
        for kind, day in due_now
        for p in people(kind)
    ]
    return rows, wanted


@transaction.atomic
def plan_reminders(now: dt.datetime | None = None) -> PlanResult:
    """Plan the day's reminder rows; running it again the same day changes nothing.

    Only open actions of meetings whose draft minutes have been circulated are reminded,
    and of those already overdue at circulation only where the secretary asked for it
    (Meeting.remind_overdue: off by default for a meeting entered long after it was held).
    Owners are the action's named owners, or every current member for a whole-board action;
    people who have left are not reminded; escalations go to the board secretary; nobody
    gets a kind of reminder they turned off.
    A pending row that the rules no longer want (action closed, owner changed, due date
    moved) is withdrawn before anyone is told about it.
    Each action is planned on its own: one that cannot be is logged, kept (with the error)
    as a ReminderPlanFailure, and its pending rows left alone, while the pass goes on.
    """
    now = now or timezone.now()
    today = london_date(now)
    # Read first: a change made while this plan runs makes the next pass plan again.
    seen = RecordChange.objects.version()
    actions = list(
        Action.objects.open()
        .filter(
            item__meeting__minutes_circulated_at__isnull=False,
            item__meeting__minutes_circulated_at__lte=now,
        )
        .filter(_may_be_reminded(now, today))
        .select_related("item__meeting__board__secretary")
        .prefetch_related("owners")
    )
    next_meeting = _next_meeting_dates(actions)
    # A meeting entered from the record after the event: no news of what was already
    # overdue when its minutes went out, unless the secretary asked at circulation.
    actions = [
        a
        for a in actions
        if a.item.meeting.remind_overdue or not _overdue_when_circulated(a, next_meeting.get(a.pk))
    ]
    boards = {a.item.meeting.board_id: a.item.meeting.board for a in actions}
    members = _board_members({a.item.meeting.board_id for a in actions if a.whole_board}, today)
    secretaries = _board_secretaries(boards.values(), today)
    people = {p.pk for a in actions for p in a.owners.all()}
    people |= {p.pk for board_members in members.values() for p in board_members}
    people |= {p.pk for p in secretaries.values() if p is not None}
    ctx = _PlanContext(
        now=now,
        today=today,
        next_meeting=next_meeting,
        members=members,
        secretaries=secretaries,
        reaches=reaches_of_people(people, on=today),
    )
    rows, wanted, failures = [], set(), {}
    for action in actions:
        try:
            action_rows, action_wanted = _plan_action(action, ctx)
        except Exception as exc:  # one action's bad data must not stop everyone's reminders
            log.exception("Could not plan the reminders of action %s", action.pk)
            failures[action.pk] = f"{type(exc).__name__}: {exc}"
            continue
        rows.extend(action_rows)
        wanted |= action_wanted
    created = 0
    if rows:
        # Counted over the planned actions' rows only, not the whole outbox's history.
        planned = Reminder.objects.filter(action_id__in={row.action_id for row in rows})
        before = planned.count()
        Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        created = planned.count() - before
    _keep_plan_failures(failures, now)
    _record_plan(today, seen)
    return PlanResult(
        created=created,
        withdrawn=_withdraw_unwanted(wanted, keep_actions=set(failures)),
        failures=failures,
    )


def _may_be_reminded(now: dt.datetime, today: dt.date) -> Q:
    """Open actions that could have a reminder on `today` (a superset, worked out in the
    database): circulated or created within the catch-up week, or due (by date or by the
    board's next meeting) within the window reminder_days spans around today. The rest of
    a decade's open actions are not read on every pass."""
    # The last overdue reminder is due + 1 + 7 * (repeats - 1), and is news for a week.
    earliest_due = today - dt.timedelta(days=1 + 7 * (OVERDUE_REPEATS - 1) + 7 + 1)
    longest_notice = Board.objects.aggregate(days=Max("reminder_days_before"))["days"] or 0
    latest_due = _shift(today, longest_notice + 1) or today
    since = now - dt.timedelta(days=CATCH_UP_DAYS + 2)
    next_meeting_in_window = Meeting.objects.filter(
        board=OuterRef("item__meeting__board"),
        starts_at__gt=OuterRef("item__meeting__starts_at"),
        starts_at__gte=dt.datetime.combine(earliest_due, dt.time(), tzinfo=LONDON),
        starts_at__lt=dt.datetime.combine(latest_due, dt.time(), tzinfo=LONDON)
        + dt.timedelta(days=1),
    )
    return (
        Q(item__meeting__minutes_circulated_at__gte=since)
        | Q(created_at__gte=since)
        | Q(due_on__gte=earliest_due, due_on__lte=latest_due)
        | Q(due_on__isnull=True) & Exists(next_meeting_in_window)
    )


def _keep_plan_failures(failures: dict[int, str], now: dt.datetime) -> None:
    """The last pass's planning failures, one per action; those planned fine are cleared."""
    ReminderPlanFailure.objects.exclude(action_id__in=list(failures)).delete()
    for action_id, error in failures.items():
        ReminderPlanFailure.objects.update_or_create(
            action_id=action_id, defaults={"error": error[:2000], "failed_at": now}
        )


def _withdraw_unwanted(wanted: set, *, keep_actions: set) -> int:
    """Delete pending rows the rules no longer want; sent and failed rows are history.

    The rows of an action that could not be planned are kept: nothing is known about them.
    """
    pending = (
        Reminder.objects.filter(status=Status.PENDING)
        .exclude(action_id__in=keep_actions)
        .values_list("pk", "action_id", "person_id", "kind", "scheduled_on")
    )
    unwanted = [pk for pk, *key in pending if tuple(key) not in wanted]
    if not unwanted:
        return 0
    deleted, _ = Reminder.objects.filter(pk__in=unwanted, status=Status.PENDING).delete()
    return deleted


# --- Sending ------------------------------------------------------------------------------


@dataclass
class SendResult:
    emails: int = 0  # e-mails handed to the mail server
    sent: int = 0  # reminder rows those e-mails carried
    retrying: int = 0
    failed: int = 0
    withdrawn: int = 0
    failures: list[str] = field(default_factory=list)


def retry_delay(attempts: int) -> dt.timedelta:
    """Back off after each failed attempt: 1, 2, 4, 8 minutes."""
    return RETRY_BASE * 2 ** (attempts - 1)


def sendable(now: dt.datetime) -> Q:
    """Rows a sender may claim: due by the pass's day, and not another live sender's.

    `now` is the pass's time (it may be a replayed day). Retry back-off and stale claims
    are measured by the database's clock (`Now()`), the one clock every worker shares: a
    worker whose own clock runs fast must not take a claim another is still working on.
    A digest reader's rows wait for the first 07:00 (London) after they fell due, so one
    morning's news goes out together.
    """
    today = london_date(now)
    retry_ready = Q(attempts=0) | Q(claimed_at__isnull=True)
    for attempts in range(1, MAX_ATTEMPTS + 1):
        retry_ready |= Q(attempts=attempts, claimed_at__lte=Now() - retry_delay(attempts))
    last_digest = digest_at(today) if digest_is_open(now) else digest_at(today - dt.timedelta(1))
    return (
        # Said outright, so the planner walks the outbox's partial index of unsent rows
        # (reminder_unsent_due) in due order instead of reading and sorting its history.
        Q(status__in=[Status.PENDING, Status.SENDING])
        & Q(scheduled_on__lte=today)
        & (
            Q(status=Status.PENDING) & retry_ready
            | Q(status=Status.SENDING, claimed_at__lt=Now() - claim_timeout())
        )
        & (Q(person__wants_digest=False) | Q(created_at__lte=last_digest))
    )


def _claim_next(now: dt.datetime) -> tuple[str, list[list[Reminder]]]:
    """Claim the sendable rows of the next few people; a row claimed here is claimed
    nowhere else. Returns the claim's token and each person's rows, in turn.

    Row locks (skip_locked) keep two senders off the same rows on PostgreSQL; the
    conditional UPDATE, stamped with this claim's token, decides on databases without them.
    A batch of people per claim, not one, keeps a morning of 10,000 digests from paying
    for 10,000 claims.
    """
    ready = sendable(now)
    token = secrets.token_hex(16)
    with transaction.atomic():
        next_rows = (
            Reminder.objects.filter(ready)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("scheduled_on", "pk")
            .values_list("person_id", flat=True)[: CLAIM_PEOPLE * 4]
        )
        people = list(dict.fromkeys(next_rows))[:CLAIM_PEOPLE]
        if not people:
            return token, []
        ids = list(
            Reminder.objects.filter(ready, person_id__in=people)
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)
        )
        Reminder.objects.filter(ready, pk__in=ids).update(
            status=Status.SENDING, claimed_at=Now(), claim_token=token, attempts=F("attempts") + 1
        )
    rows = (
        Reminder.objects.filter(pk__in=ids, status=Status.SENDING, claim_token=token)
        .select_related("person", "action__item__meeting__board")
        .prefetch_related("action__owners")
        .order_by("person_id", "scheduled_on", "action__due_on", "pk")
    )
    by_person: dict[int, list[Reminder]] = {}
    for row in rows:
        by_person.setdefault(row.person_id, []).append(row)
    return token, list(by_person.values())


def _hand_back(rows: list[Reminder], token: str) -> None:
    """Unsent rows of a claim that is growing old go back, as if never claimed, before
    another sender may take them for a dead one's."""
    Reminder.objects.filter(
        pk__in=[r.pk for r in rows], status=Status.SENDING, claim_token=token
    ).update(status=Status.PENDING, claimed_at=None, claim_token="", attempts=F("attempts") - 1)


def send_due_reminders(now: dt.datetime | None = None) -> SendResult:
    """Send every reminder due by `now`, each at most once, and mark it sent.

    A digest reader gets one e-mail with all their due reminders, others one e-mail per
    action. An SMTP error puts the rows back with a back-off; after MAX_ATTEMPTS they are
    "failed" with the error kept, for the secretary to see on the action page. Each person
    is sent to on their own: whatever goes wrong with one is logged and kept on their rows.
    """
    now = now or timezone.now()
    result = SendResult()
    connection = get_connection()
    # The claim's age by this worker's own stopwatch: no clock on the wall is needed.
    half_timeout = claim_timeout().total_seconds() / 2
    try:
        while True:
            token, claimed = _claim_next(now)
            if not claimed:
                break
            started = time.monotonic()
            for n, rows in enumerate(claimed):
                if time.monotonic() - started > half_timeout:
                    _hand_back([row for later in claimed[n:] for row in later], token)
                    break
                try:
                    _send_claimed(rows, token=token, connection=connection, now=now, result=result)
                except Exception as exc:  # one person's trouble must not stop the others
                    log.exception(
                        "Could not send reminders %s (actions %s)",
                        [r.pk for r in rows],
                        sorted({r.action_id for r in rows}),
                    )
                    _record_failure(rows, f"{type(exc).__name__}: {exc}", token, result)
    finally:
        connection.close()
    return result


# Most urgent first: a digest shows each action once, under the most urgent of its news.
URGENCY = (Kind.ESCALATED, Kind.OVERDUE, Kind.DUE_TODAY, Kind.DUE_SOON, Kind.ASSIGNED)


def by_action(rows: list[Reminder]) -> list[list[Reminder]]:
    """The rows of each action, the action's most urgent first, actions in their order."""
    groups: dict[int, list[Reminder]] = {}
    for row in rows:
        groups.setdefault(row.action_id, []).append(row)
    return [sorted(group, key=lambda r: URGENCY.index(r.kind)) for group in groups.values()]


def _send_claimed(rows: list[Reminder], *, token: str, connection, now, result: SendResult):
    person = rows[0].person
    live = []
    for row in rows:
        if row.action.status != Action.Status.OPEN or not person.wants_reminder(row.kind):
            # Closed, or turned off, between planning and sending: nobody needs telling.
            Reminder.objects.filter(pk=row.pk, status=Status.SENDING, claim_token=token).delete()
            result.withdrawn += 1
        elif row.attempts > MAX_ATTEMPTS:
            _record_failure(
                [row], "A sender stopped before confirming this reminder.", token, result
            )
        else:
            live.append(row)
    if not live:
        return
    if not person.email:
        _record_failure(
            live, f"{person.display_name} has no e-mail address.", token, result, final=True
        )
        return
    groups = by_action(live)
    batches = [[row for group in groups for row in group]] if person.wants_digest else groups
    for batch in batches:
        try:
            message = build_message(person, batch, now=now, connection=connection)
        except Exception as exc:  # one broken e-mail must not stop everyone else's
            log.exception("Could not build reminder e-mail for %s", person)
            _record_failure(batch, f"{type(exc).__name__}: {exc}", token, result)
            continue
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused as exc:
            _record_failure(batch, f"Address refused: {exc}", token, result, final=True)
        except (smtplib.SMTPException, OSError) as exc:
            connection.close()  # a broken connection is reopened by the next send
            _record_failure(batch, f"{type(exc).__name__}: {exc}", token, result)
        except Exception as exc:  # e.g. a header the mail library refuses
            log.exception("Could not send reminder e-mail to %s", person)
            _record_failure(batch, f"{type(exc).__name__}: {exc}", token, result)
        else:
            marked = Reminder.objects.filter(
                pk__in=[r.pk for r in batch], status=Status.SENDING, claim_token=token
            ).update(status=Status.SENT, sent_at=Now(), last_error="")
            result.emails += 1
            result.sent += marked


def _record_failure(rows, error: str, token: str, result: SendResult, *, final=False) -> None:
    for row in rows:
        give_up = final or row.attempts >= MAX_ATTEMPTS
        Reminder.objects.filter(pk=row.pk, status=Status.SENDING, claim_token=token).update(
            status=Status.FAILED if give_up else Status.PENDING,
            last_error=error[:2000],
            failed_at=Now() if give_up else None,
        )
        if give_up:
            result.failed += 1
            log.error("Reminder %s (action %s) failed for good: %s", row.pk, row.action_id, error)
        else:
            result.retrying += 1
            log.warning(
                "Reminder %s (action %s) will be retried: %s", row.pk, row.action_id, error
            )
    result.failures.append(error)


# --- E-mail -------------------------------------------------------------------------------


def digest_message_id(reminder_ids) -> str:
    """The same digest (the same reminders) always carries the same Message-ID."""
    ids = ",".join(str(pk) for pk in sorted(reminder_ids))
    return f"<digest-{hashlib.sha256(ids.encode()).hexdigest()[:24]}@minutebook>"


def _next_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(board_id=meeting.board_id, starts_at__gt=meeting.starts_at)
        .order_by("starts_at")
        .first()
    )


def _reminder_context(row: Reminder) -> dict:
    action = row.action
    meeting = action.item.meeting
    next_meeting = None if action.due_on else _next_meeting(meeting)
    due_on = action.due_on or (london_date(next_meeting.starts_at) if next_meeting else None)
    return {
        "reminder": row,
        "kind": row.kind,
        "kind_label": row.get_kind_display(),
        "action": action,
        "owners": action.owner_label(list(action.owners.all())),
        "board": meeting.board,
        "meeting": meeting,
        "meeting_on": london_date(meeting.starts_at),
        "due_on": due_on,
        "by_next_meeting": action.due_on is None,
        "days_overdue": (row.scheduled_on - due_on).days if due_on else None,
        "url": settings.SITE_URL + action.get_absolute_url(),
    }


def recipient(person: Person) -> str:
    """ "Name" <address>, the name quoted whatever it holds, so it can add no address."""
    name = " ".join(person.display_name.split())  # no line breaks in a header
    return f'"{email.utils.quote(name)}" <{person.email}>'


def build_message(person: Person, rows: list[Reminder], *, now=None, connection=None):
    """One e-mail, HTML and plain text, for one action's reminder or a morning's digest.

    Each action appears once, under its most urgent reminder. Every e-mail carries the
    one-click unsubscribe headers (RFC 8058) and a link to the person's preferences.
    """
    digest = person.wants_digest
    groups = by_action(rows)
    unsubscribe_url = settings.SITE_URL + reverse(
        "reminders:unsubscribe", args=[unsubscribe_token(person)]
    )
    context = {
        "person": person,
        "items": [_reminder_context(group[0]) for group in groups],
        "digest": digest,
        "day": london_date(now or timezone.now()),
        "preferences_url": settings.SITE_URL + reverse("reminders:preferences"),
        "unsubscribe_url": unsubscribe_url,
        "site_url": settings.SITE_URL,
    }
    context["item"] = context["items"][0]
    name = "digest" if digest else "reminder"
    # Subjects are plain text: their template does not escape (the HTML title escapes it).
    context["subject"] = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=context["subject"],
        body=render_to_string(f"emails/{name}-body.txt", context),
        to=[recipient(person)],
        connection=connection,
        headers={
            "Message-ID": (
                digest_message_id(r.pk for r in rows) if digest else groups[0][0].message_id
            ),
            "Auto-Submitted": "auto-generated",
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string(f"emails/{name}-body.html", context), "text/html")
    return message


# --- The pass -----------------------------------------------------------------------------


def plan_is_current(today: dt.date) -> bool:
    """Whether the last plan was today's, nothing it is planned from has changed since,
    and it planned every action (a failure is tried again on each pass): then planning
    again would change nothing. One query."""
    changed = RecordChange.objects.filter(pk__gt=OuterRef("through"))
    return (
        ReminderPlanRun.objects.filter(pk=1, day=today)
        .filter(~Exists(changed), ~Exists(ReminderPlanFailure.objects.all()))
        .exists()
    )


def _record_plan(today: dt.date, through: int) -> None:
    if not ReminderPlanRun.objects.filter(pk=1).update(day=today, through=through):
        ReminderPlanRun.objects.create(pk=1, day=today, through=through)
    # The newest change stays: its id is the record's version ("my actions" caches by it).
    RecordChange.objects.filter(pk__lt=through).delete()


def run_reminder_pass(now: dt.datetime | None = None) -> tuple[PlanResult, SendResult]:
    """Plan, then send: what beat triggers every 15 minutes and `send_reminders` runs.
    The plan runs on the day's first pass and after a change (actions.signals); the
    other passes of the day only send."""
    now = now or timezone.now()
    planned = PlanResult() if plan_is_current(london_date(now)) else plan_reminders(now)
    return planned, send_due_reminders(now)
