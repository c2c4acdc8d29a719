"""The pass every 15 minutes when nothing is due: a few queries, whatever the outbox holds."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Action, Reminder
from actions.reminders import run_reminder_pass
from actions.tests.conftest import MEETING_AT, london
from meetings.tests.factories import AgendaItemFactory

pytestmark = pytest.mark.django_db

IDLE_AT = london(2026, 9, 1, 9, 30)  # months after every due date below


def _history(meeting, person, n, item=None):
    """n actions long overdue and long reminded, and the sent reminders that say so."""
    item = item or AgendaItemFactory(meeting=meeting)
    actions = Action.objects.bulk_create(
        Action(
            item=item,
            board=meeting.board,
            text=f"Old action {k}",
            due_on=dt.date(2026, 2, 1),
            created_at=MEETING_AT,
        )
        for k in range(n)
    )
    Action.owners.through.objects.bulk_create(
        Action.owners.through(action=a, person=person) for a in actions
    )
    Reminder.objects.bulk_create(
        Reminder(
            action=a,
            person=person,
            kind=kind,
            scheduled_on=day,
            status=Reminder.Status.SENT,
            sent_at=london(2026, 3, 1, 7, 0),
        )
        for a in actions
        for kind, day in (("due_today", dt.date(2026, 2, 1)), ("overdue", dt.date(2026, 2, 2)))
    )


def _idle_pass(at=IDLE_AT):
    with CaptureQueriesContext(connection) as ctx:
        planned, sent = run_reminder_pass(at)
    assert (planned.created, planned.withdrawn, sent.emails) == (0, 0, 0)
    return len(ctx.captured_queries)


def test_the_days_first_pass_costs_the_same_few_queries_at_two_outbox_sizes(meeting, separate):
    _idle_pass(IDLE_AT - dt.timedelta(days=1))  # the plan's first day: its row is made
    _history(meeting, separate, 3)
    small = _idle_pass()
    _history(meeting, separate, 300)
    large = _idle_pass(IDLE_AT + dt.timedelta(days=1))  # a new day: planned again

    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == 606
    assert mail.outbox == []
    assert large == small
    # The plan reads no old action, and the claim finds nothing: a handful of queries.
    assert small <= 13  # savepoints included


def test_the_days_later_passes_only_look_for_something_to_send(meeting, separate):
    item = AgendaItemFactory(meeting=meeting)
    _history(meeting, separate, 3, item)
    _idle_pass()
    small = _idle_pass(IDLE_AT + dt.timedelta(minutes=15))
    # Bulk-written history changes nothing the plan reads: only the outbox grows.
    _history(meeting, separate, 300, item)
    large = _idle_pass(IDLE_AT + dt.timedelta(minutes=30))

    assert large == small <= 4  # is the plan current; the claim (in its savepoint)


def test_it_still_reminds_an_action_due_in_the_window_among_a_long_history(
    meeting, separate, make_action
):
    _history(meeting, separate, 50)
    action = make_action(
        [separate], text="Send the data sharing draft", due_on=dt.date(2026, 9, 8)
    )

    run_reminder_pass(IDLE_AT)  # due soon: 7 days before 8 September

    [email] = mail.outbox
    assert "Send the data sharing draft" in email.subject
    assert action.reminders.get().kind == Reminder.Kind.DUE_SOON
