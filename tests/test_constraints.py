"""The rules the database itself enforces, whatever code writes to it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actions.models import Action
from actions.tests.factories import ActionFactory, ReminderFactory
from boards.tests.factories import MembershipFactory, PersonFactory
from funding.models import FundEntry
from funding.tests.factories import FundEntryFactory, FundFactory
from meetings.tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
)

pytestmark = pytest.mark.django_db


def _refused(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_one_attendance_per_person_per_meeting():
    attendance = AttendanceFactory()
    _refused(AttendanceFactory, meeting=attendance.meeting, person=attendance.person)


def test_nobody_substitutes_for_themselves():
    person = PersonFactory()
    _refused(AttendanceFactory, person=person, substitute_for=person)


def test_one_current_membership_per_board(board, member):
    _refused(MembershipFactory, board=board, person=member)


def test_decision_numbers_are_unique_within_an_item():
    decision = DecisionFactory(number=1)
    _refused(DecisionFactory, item=decision.item, number=1)


def test_an_allocation_must_name_its_decision():
    _refused(FundEntryFactory, kind=FundEntry.Kind.ALLOCATION, decision=None)


def test_an_allocation_with_a_decision_is_kept():
    entry = FundEntryFactory(kind=FundEntry.Kind.ALLOCATION, decision=DecisionFactory())
    assert entry.decision.text.startswith("To fund")


def test_amounts_are_whole_pence_and_never_zero():
    _refused(FundEntryFactory, amount=0)
    entry = FundEntryFactory(amount=9_000_050)
    entry.refresh_from_db()
    assert entry.amount == 9_000_050


def test_ledger_lines_are_never_edited_or_deleted():
    entry = FundEntryFactory()
    entry.amount = 1
    with pytest.raises(ValidationError, match="never edited"):
        entry.save()
    with pytest.raises(ValidationError, match="never deleted"):
        entry.delete()


def test_a_reminder_is_unique_on_action_person_kind_and_day():
    reminder = ReminderFactory()
    _refused(
        ReminderFactory,
        action=reminder.action,
        person=reminder.person,
        kind=reminder.kind,
        scheduled_on=reminder.scheduled_on,
    )


def test_a_closed_action_records_when():
    action = ActionFactory()
    action.status = Action.Status.DONE
    with pytest.raises(IntegrityError), transaction.atomic():
        action.save()
    action.set_status(Action.Status.DONE)
    action.save()
    assert action.closed_at is not None


def test_approved_minutes_carry_their_date():
    _refused(MeetingFactory, status="minutes_approved", approved_on=None)


def test_one_fund_name_per_board():
    fund = FundFactory()
    _refused(FundFactory, board=fund.board, name=fund.name)


def test_an_item_keeps_its_order_within_the_meeting():
    meeting = MeetingFactory()
    second = AgendaItemFactory(meeting=meeting, order=2, title="Second")
    first = AgendaItemFactory(meeting=meeting, order=1, title="First")
    assert list(meeting.items.all()) == [first, second]
