"""The day's later passes plan again only after a change the plan reads (actions.signals)."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Reminder
from actions.reminders import plan_is_current, run_reminder_pass
from actions.tests.conftest import london
from boards.models import RecordChange
from boards.tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

MORNING = london(2026, 3, 2, 9, 0)  # the minutes went out in January; due dates in March


def _later(minutes):
    return MORNING + dt.timedelta(minutes=minutes)


def test_an_action_added_after_the_mornings_plan_is_reminded_at_the_next_pass(
    make_action, separate
):
    make_action([separate], text="Book the venue", due_on=dt.date(2026, 3, 2))
    run_reminder_pass(MORNING)
    assert [m.subject for m in mail.outbox if "Book the venue" in m.subject]
    assert plan_is_current(MORNING.date())

    make_action([separate], text="Send the accounts", due_on=dt.date(2026, 3, 2))
    assert not plan_is_current(MORNING.date())
    planned, sent = run_reminder_pass(_later(15))

    assert planned.created == 1 and "Send the accounts" in mail.outbox[-1].subject
    assert plan_is_current(MORNING.date())


def test_an_owner_added_after_the_mornings_plan_is_reminded_at_the_next_pass(
    make_action, separate
):
    action = make_action([separate], text="Book the venue", due_on=dt.date(2026, 3, 9))
    run_reminder_pass(MORNING)  # due soon: seven days before the 9th
    other = PersonFactory(name="Olu Other", wants_digest=False)
    MembershipFactory(person=other, board=action.board)
    assert plan_is_current(MORNING.date()) is False  # a membership is planned from
    run_reminder_pass(_later(15))
    assert plan_is_current(MORNING.date())

    action.owners.add(other)
    run_reminder_pass(_later(30))

    sent = set(Reminder.objects.filter(action=action, status="sent").values_list("person", "kind"))
    assert sent == {(separate.pk, "due_soon"), (other.pk, "due_soon")}


def test_typing_an_items_minutes_does_not_make_the_next_pass_plan(make_action, separate):
    action = make_action([separate], text="Book the venue", due_on=dt.date(2026, 3, 2))
    run_reminder_pass(MORNING)
    before = RecordChange.objects.count()

    item = action.item
    item.minutes = "The board discussed the venue."
    item.save(update_fields=["minutes"])
    with CaptureQueriesContext(connection) as ctx:
        run_reminder_pass(_later(15))

    assert RecordChange.objects.count() == before
    assert not [q for q in ctx.captured_queries if "actions_action" in q["sql"]]

    item.confidential = True
    item.save(update_fields=["confidential"])
    assert not plan_is_current(MORNING.date())
