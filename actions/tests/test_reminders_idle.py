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


def _history(meeting, person, n):
    """n actions long overdue and long reminded, and the sent reminders that say so."""
    item = AgendaItemFactory(meeting=meeting)
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


def _idle_pass():
    with CaptureQueriesContext(connection) as ctx:
        planned, sent = run_reminder_pass(IDLE_AT)
    assert (planned.created, planned.withdrawn, sent.emails) == (0, 0, 0)
    return len(ctx.captured_queries)


def test_it_costs_the_same_few_queries_when_nothing_is_due_at_two_outbox_sizes(meeting, separate):
    _history(meeting, separate, 3)
    small = _idle_pass()
    _history(meeting, separate, 300)
    large = _idle_pass()

    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == 606
    assert mail.outbox == []
    assert large == small
    # The plan reads no old action, and the claim finds nothing: a handful of queries.
    assert small <= 9  # savepoints included


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
