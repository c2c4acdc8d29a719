"""One bad row never stops the reminder pass, and workers' clocks need not agree."""

import datetime as dt
import email.utils
import logging

import pytest
from django.core import mail
from django.db.models.functions import Now
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from actions.models import Reminder, ReminderPlanFailure
from actions.reminders import ActionDates, reminder_days, run_reminder_pass, send_due_reminders
from actions.tests.conftest import london
from boards.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

EVIL_NAME = 'Mal" <attacker@example.com>, "x'
PASS_AT = london(2026, 3, 2, 8, 0)  # a Monday; due soon for actions due 9 March


def plant_bad_rows(make_action, *owners):
    """Due dates at the calendar's ends (the edit form accepts both) on real owners' actions."""
    return [
        make_action(list(owners), text="Due at the end of time", due_on=dt.date(9999, 12, 31)),
        make_action(list(owners), text="Due in year one", due_on=dt.date(1, 1, 3)),
    ]


def recipients(message):
    return email.utils.getaddresses(message.message().get_all("To"))


def test_it_sends_the_good_reminders_exactly_once_beside_bad_rows(
    make_action, separate, board, legacy_due_dates
):
    digest_reader = PersonFactory(name="Dana Digest", wants_digest=True)
    mal = PersonFactory(name=EVIL_NAME, email="mal@example.org", wants_digest=False)
    plant_bad_rows(make_action, separate, digest_reader, mal)
    make_action([separate], text="Book the venue", due_on=dt.date(2026, 3, 9))
    make_action([digest_reader], text="Draft the strategy", due_on=dt.date(2026, 3, 2))
    make_action([mal], text="Send the accounts", due_on=dt.date(2026, 3, 9))

    run_reminder_pass(PASS_AT)
    run_reminder_pass(PASS_AT + dt.timedelta(minutes=15))

    sent = sorted((recipients(m)[0][1], m.subject) for m in mail.outbox)
    assert sent == sorted(
        [
            (digest_reader.email, "Your board actions: 1 reminder for Monday 2 March"),
            ("mal@example.org", f"Due 9 Mar: Send the accounts ({board.name})"),
            (separate.email, f"Due 9 Mar: Book the venue ({board.name})"),
        ]
    )
    [to_mal] = [m for m in mail.outbox if "mal@example.org" in m.to[0]]
    # The name stays a name: no second address is smuggled into the header.
    assert recipients(to_mal) == [(EVIL_NAME, "mal@example.org")]
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}


def test_it_logs_and_keeps_an_action_it_cannot_plan_and_plans_the_rest(
    make_action, separate, monkeypatch, caplog
):
    good = make_action([separate], text="Book the venue", due_on=dt.date(2026, 3, 9))
    bad = make_action([separate], text="Broken", due_on=dt.date(2026, 3, 9))
    from actions import reminders

    real = reminders.action_dates

    def action_dates(action, **kwargs):
        if action.pk == bad.pk:
            raise RuntimeError("the board row is corrupt")
        return real(action, **kwargs)

    monkeypatch.setattr(reminders, "action_dates", action_dates)
    with caplog.at_level(logging.ERROR, logger="actions.reminders"):
        planned, sent = run_reminder_pass(PASS_AT)

    assert planned.failures == {bad.pk: "RuntimeError: the board row is corrupt"}
    assert f"action {bad.pk}" in caplog.text
    assert ReminderPlanFailure.objects.get(action=bad).error == (
        "RuntimeError: the board row is corrupt"
    )
    [message] = mail.outbox
    assert "Book the venue" in message.subject
    assert good.reminders.get().status == "sent"

    monkeypatch.setattr(reminders, "action_dates", real)
    run_reminder_pass(PASS_AT + dt.timedelta(minutes=15))
    assert not ReminderPlanFailure.objects.exists()  # planned fine now: the mark is cleared
    assert len(mail.outbox) == 2 and "Broken" in mail.outbox[1].subject


def test_it_marks_the_rows_of_a_person_it_cannot_send_to_and_goes_on(
    make_action, separate, monkeypatch, caplog
):
    other = PersonFactory(name="Olu Other", wants_digest=False)
    stuck = make_action([separate], text="Book the venue", due_on=dt.date(2026, 3, 9))
    make_action([other], text="Send the accounts", due_on=dt.date(2026, 3, 9))
    from django.core.mail.backends.locmem import EmailBackend

    real = EmailBackend.send_messages

    def send_messages(self, messages):
        if separate.email in messages[0].to[0]:
            raise ValueError("Header values may not contain linefeed or carriage return")
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    with caplog.at_level(logging.WARNING, logger="actions.reminders"):
        run_reminder_pass(PASS_AT)

    [message] = mail.outbox
    assert message.to == [f'"Olu Other" <{other.email}>']
    reminder = stuck.reminders.get()
    assert reminder.status == "pending" and "ValueError" in reminder.last_error
    assert f"action {stuck.pk}" in caplog.text


def test_it_does_not_resend_a_claim_when_its_own_clock_runs_ten_minutes_fast(
    make_action, separate, monkeypatch
):
    action = make_action([separate], due_on=dt.date(2026, 3, 9))
    run_reminder_pass(PASS_AT)
    mail.outbox.clear()
    # Another worker claims the row now (by the database's clock) and is still sending it.
    action.reminders.update(status="sending", claimed_at=Now(), attempts=1)

    fast = timezone.now() + dt.timedelta(minutes=10, seconds=5)
    monkeypatch.setattr(timezone, "now", lambda: fast)
    send_due_reminders(PASS_AT)

    assert mail.outbox == []
    assert action.reminders.get().status == "sending"


def test_it_takes_over_a_claim_the_database_clock_says_is_stale(make_action, separate):
    action = make_action([separate], due_on=dt.date(2026, 3, 9))
    run_reminder_pass(PASS_AT)
    mail.outbox.clear()
    action.reminders.update(
        status="sending", claimed_at=timezone.now() - dt.timedelta(minutes=11), attempts=1
    )

    send_due_reminders(PASS_AT)

    assert len(mail.outbox) == 1
    assert action.reminders.get().status == "sent"


@example(circulated_on=dt.date(2026, 3, 2), due_on=dt.date(9999, 12, 31), days_before=7)
@example(circulated_on=dt.date(2026, 3, 2), due_on=dt.date(1, 1, 3), days_before=7)
@given(
    circulated_on=st.dates(min_value=dt.date(1, 1, 1)),
    due_on=st.none() | st.dates(min_value=dt.date(1, 1, 1)),
    days_before=st.integers(min_value=0, max_value=30),
)
def test_it_plans_any_due_date_the_calendar_holds_without_overflowing(
    circulated_on, due_on, days_before
):
    days = reminder_days(
        ActionDates(circulated_on=circulated_on, due_on=due_on, days_before=days_before)
    )
    assert all(isinstance(day, dt.date) for found in days.values() for day in found)


def test_it_gives_the_mail_server_one_envelope_address_for_a_hostile_name():
    from django.core.mail.message import sanitize_address

    from actions.reminders import recipient
    from boards.models import Person

    mal = Person(name=EVIL_NAME, email="mal@example.org")
    # What the SMTP backend does with each recipient; it raised ValueError for this name.
    assert sanitize_address(recipient(mal), "utf-8").endswith(" <mal@example.org>")
