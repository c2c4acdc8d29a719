"""Reminder planning and sending against the database: what owners find in their inbox."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.core.management import call_command

from actions.models import Reminder
from actions.reminders import (
    MAX_ATTEMPTS,
    digest_message_id,
    plan_reminders,
    run_reminder_pass,
    send_due_reminders,
)
from actions.tests.conftest import london
from boards.tests.factories import MembershipFactory, PersonFactory
from meetings.tests.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_it_tells_owners_of_a_new_action_once_the_minutes_are_circulated(
    make_action, separate, meeting
):
    action = make_action([separate], text="Arrange the workshop", due_on=dt.date(2026, 4, 30))
    meeting.minutes_circulated_at = None
    meeting.save(update_fields=["minutes_circulated_at"])

    run_reminder_pass(london(2026, 2, 27, 12, 0))
    assert mail.outbox == []

    meeting.minutes_circulated_at = london(2026, 2, 27, 16, 30)
    meeting.save(update_fields=["minutes_circulated_at"])
    run_reminder_pass(london(2026, 2, 27, 16, 45))

    [email] = mail.outbox
    assert email.to == [f'"{separate.display_name}" <{separate.email}>']
    assert email.subject.startswith("New action for you: Arrange the workshop")
    assert "Thursday 30 April 2026" in email.body
    assert f"http://testserver/actions/{action.pk}/" in email.body or (
        f"/actions/{action.pk}/" in email.body
    )
    assert "/accounts/reminders/" in email.body
    html = email.alternatives[0][0]
    assert f"/actions/{action.pk}/" in html and "/accounts/reminders/" in html
    assert email.extra_headers["Message-ID"] == action.reminders.get().message_id


def test_it_sends_nothing_the_second_time_the_command_runs_on_a_day(make_action, separate):
    make_action([separate], due_on=dt.date(2026, 3, 9))  # due soon on 2 March

    call_command("send_reminders", "--now", "2026-03-02T08:00")
    first = len(mail.outbox)
    call_command("send_reminders", "--now", "2026-03-02T09:30")

    assert first == 1
    assert len(mail.outbox) == 1
    assert Reminder.objects.get().status == Reminder.Status.SENT


def test_it_reminds_on_the_day_then_weekly_when_overdue_and_escalates(
    make_action, separate, secretary
):
    action = make_action([separate], due_on=dt.date(2026, 3, 2))
    for day in range(40):
        run_reminder_pass(london(2026, 2, 20, 9, 0) + dt.timedelta(days=day))

    kinds = [
        (r.kind, r.person, r.scheduled_on)
        for r in action.reminders.order_by("scheduled_on", "kind")
    ]
    assert kinds == [
        ("due_soon", separate, dt.date(2026, 2, 23)),
        ("due_today", separate, dt.date(2026, 3, 2)),
        ("overdue", separate, dt.date(2026, 3, 3)),
        ("overdue", separate, dt.date(2026, 3, 10)),
        ("escalated", secretary, dt.date(2026, 3, 17)),
        ("overdue", separate, dt.date(2026, 3, 17)),
        ("overdue", separate, dt.date(2026, 3, 24)),
    ]
    assert all(r.status == "sent" for r in action.reminders.all())


def test_it_reminds_by_next_meeting_actions_before_that_meeting(make_action, separate, board):
    MeetingFactory(board=board, starts_at=london(2026, 4, 16, 14, 0))
    action = make_action([separate], due_on=None)

    run_reminder_pass(london(2026, 4, 9, 8, 0))

    reminder = action.reminders.get()
    assert (reminder.kind, reminder.scheduled_on) == ("due_soon", dt.date(2026, 4, 9))
    assert "by the next meeting (Thursday 16 April 2026)" in mail.outbox[0].body


def test_it_reminds_every_current_member_of_a_whole_board_action(make_action, board, member):
    leaver = PersonFactory()
    MembershipFactory(person=leaver, board=board, ended_on=dt.date(2026, 1, 1))
    action = make_action(whole_board=True, due_on=dt.date(2026, 3, 9))

    plan_reminders(london(2026, 3, 2, 8, 0))

    people = set(action.reminders.values_list("person__name", flat=True))
    assert member.name in people
    assert leaver.name not in people


def test_it_sends_a_digest_reader_one_email_at_seven(make_action, member):
    first = make_action([member], text="Draft the strategy", due_on=dt.date(2026, 3, 2))
    second = make_action([member], text="Book the venue", due_on=dt.date(2026, 3, 9))

    run_reminder_pass(london(2026, 3, 2, 0, 15))
    assert mail.outbox == []  # planned after midnight, held for the morning digest

    run_reminder_pass(london(2026, 3, 2, 7, 0))
    run_reminder_pass(london(2026, 3, 2, 7, 15))

    [digest] = mail.outbox
    assert digest.subject == "Your board actions: 2 reminders for Monday 2 March"
    assert "Draft the strategy" in digest.body and "Book the venue" in digest.body
    ids = [r.pk for r in Reminder.objects.filter(action__in=[first, second])]
    assert digest.extra_headers["Message-ID"] == digest_message_id(ids)


def test_it_never_sends_an_empty_digest(make_action, member):
    make_action([member], due_on=dt.date(2026, 6, 30))
    run_reminder_pass(london(2026, 3, 20, 7, 0))  # nothing due that day
    assert mail.outbox == []


def test_it_holds_news_that_arrives_after_seven_for_the_next_digest(make_action, member, meeting):
    meeting.minutes_circulated_at = london(2026, 3, 2, 10, 0)
    meeting.save(update_fields=["minutes_circulated_at"])
    make_action([member], due_on=dt.date(2026, 4, 30))

    run_reminder_pass(london(2026, 3, 2, 7, 0))
    run_reminder_pass(london(2026, 3, 2, 10, 15))
    assert mail.outbox == []  # this morning's digest time has passed: one e-mail a day

    run_reminder_pass(london(2026, 3, 3, 7, 0))
    [digest] = mail.outbox
    assert "NEW ACTION FOR YOU" in digest.body


def test_it_sends_a_missed_morning_digest_when_the_pass_next_runs(make_action, member):
    make_action([member], due_on=dt.date(2026, 3, 9))
    run_reminder_pass(london(2026, 3, 2, 9, 40))  # nothing ran at 07:00 that day
    assert len(mail.outbox) == 1


def test_it_replaces_an_unsent_due_soon_with_overdue_once_the_day_has_passed(
    make_action, separate
):
    action = make_action([separate], due_on=dt.date(2026, 3, 9))
    plan_reminders(london(2026, 3, 2, 8, 0))  # due soon, never sent (say the mail was down)

    run_reminder_pass(london(2026, 3, 10, 8, 0))

    [email] = mail.outbox
    assert email.subject.startswith("Overdue since 9 Mar")
    assert list(action.reminders.values_list("kind", flat=True)) == ["overdue"]


def test_it_withdraws_a_pending_reminder_when_the_action_is_closed(make_action, member):
    action = make_action([member], due_on=dt.date(2026, 3, 9))
    plan_reminders(london(2026, 3, 2, 1, 0))
    action.set_status("done")
    action.save()

    run_reminder_pass(london(2026, 3, 2, 7, 0))

    assert mail.outbox == []
    assert not action.reminders.exists()


def test_it_retries_smtp_errors_then_shows_the_failure(make_action, separate, monkeypatch):
    action = make_action([separate], due_on=dt.date(2026, 3, 9))

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    now = london(2026, 3, 2, 8, 0)
    plan_reminders(now)
    for attempt in range(MAX_ATTEMPTS):
        result = send_due_reminders(now)
        reminder = action.reminders.get()
        assert reminder.attempts == attempt + 1
        # The next attempt waits for its back-off.
        assert send_due_reminders(now).emails == 0
        reminder.claimed_at -= dt.timedelta(hours=1)
        reminder.save(update_fields=["claimed_at"])

    assert result.failed == 1
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.FAILED
    assert "Connection unexpectedly closed" in reminder.last_error
    assert send_due_reminders(now).emails == 0


def test_it_shows_the_secretary_failed_and_sent_reminders(make_action, separate):
    from django.template.loader import render_to_string

    action = make_action([separate], due_on=dt.date(2026, 3, 9))
    Reminder.objects.create(
        action=action,
        person=separate,
        kind="due_soon",
        scheduled_on=dt.date(2026, 3, 2),
        status="failed",
        attempts=5,
        last_error="SMTPServerDisconnected: gone",
    )
    html = render_to_string("actions/_reminders.html", {"reminders": action.reminders.all()})
    assert "Failed" in html and "SMTPServerDisconnected: gone" in html


def test_it_takes_back_a_claim_a_dead_sender_left_behind(make_action, separate):
    action = make_action([separate], due_on=dt.date(2026, 3, 9))
    plan_reminders(london(2026, 3, 2, 8, 0))
    stale = london(2026, 3, 2, 8, 0)
    action.reminders.update(status="sending", claimed_at=stale, attempts=1)

    send_due_reminders(london(2026, 3, 2, 8, 5))
    assert len(mail.outbox) == 1  # the real clock is long past the claim timeout
    assert action.reminders.get().status == "sent"


def test_it_leaves_a_fresh_claim_to_its_sender(make_action, separate):
    from django.utils import timezone

    action = make_action([separate], due_on=dt.date(2026, 3, 9))
    plan_reminders(london(2026, 3, 2, 8, 0))
    action.reminders.update(status="sending", claimed_at=timezone.now(), attempts=1)

    send_due_reminders(london(2026, 3, 2, 8, 5))
    assert mail.outbox == []


def test_it_saves_the_preference_for_the_signed_in_person(client_for, member):
    client = client_for(member)
    page = client.get("/accounts/reminders/")
    assert page.status_code == 200
    assert b"One e-mail each morning" in page.content

    response = client.post("/accounts/reminders/", {"wants_digest": "False"}, follow=True)

    member.refresh_from_db()
    assert member.wants_digest is False
    assert b"Your reminder preference is saved." in response.content


def test_it_keeps_the_form_on_a_bad_choice(client_for, member):
    response = client_for(member).post("/accounts/reminders/", {"wants_digest": "sometimes"})
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content


def test_it_asks_a_stranger_to_sign_in(client):
    response = client.get("/accounts/reminders/")
    assert response.status_code == 302


def test_it_runs_the_same_pass_as_a_celery_task_that_beat_triggers(make_action, separate):
    from django.conf import settings

    from actions.tasks import run_reminder_pass as task
    from config.celery import app

    make_action([separate], due_on=dt.date(2026, 3, 9))
    [entry] = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if "reminder" in e["task"]]
    assert entry["task"] in app.tasks
    assert "eta" not in entry.get("options", {}) and "countdown" not in entry.get("options", {})

    result = task.run(now="2026-03-02T08:00")
    again = task.run(now="2026-03-02T08:15")

    assert (result["sent"], again["sent"]) == (1, 0)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("day", "before_midnight_utc", "after_midnight_utc"),
    [
        # Spring forward: London is on GMT at midnight, so midnight is 00:00 UTC.
        (dt.date(2026, 3, 29), dt.datetime(2026, 3, 28, 23, 55), dt.datetime(2026, 3, 29, 0, 5)),
        # Fall back: London is still on BST at midnight, so midnight is 23:00 UTC the day before.
        (
            dt.date(2026, 10, 25),
            dt.datetime(2026, 10, 24, 22, 55),
            dt.datetime(2026, 10, 24, 23, 5),
        ),
    ],
)
def test_it_starts_the_due_day_at_london_midnight_across_the_clock_changes(
    make_action, separate, day, before_midnight_utc, after_midnight_utc
):
    action = make_action([separate], due_on=day)
    action.item.meeting.board.reminder_days_before = 0
    action.item.meeting.board.save(update_fields=["reminder_days_before"])

    run_reminder_pass(before_midnight_utc.replace(tzinfo=dt.UTC))
    assert not action.reminders.filter(kind="due_today").exists()

    run_reminder_pass(after_midnight_utc.replace(tzinfo=dt.UTC))
    reminder = action.reminders.get(kind="due_today")
    assert reminder.scheduled_on == day
    assert mail.outbox[-1].subject.startswith("Due today")


def test_it_does_not_remind_observers_of_all_members_actions_on_confidential_items(
    make_action, meeting, member, observer
):
    """Issue 17: an observer owes "ALL" actions like everyone, but not one of an item
    they may not read: its action page answers 403, so its text must not reach them."""
    exempt = AgendaItemFactory(meeting=meeting, title="Staffing", confidential=True)
    make_action(item=exempt, whole_board=True, text="All to read the redundancy paper")
    make_action(whole_board=True, text="All to read the strategy")

    run_reminder_pass(london(2026, 1, 20, 16, 45))  # just after the minutes went out
    run_reminder_pass(london(2026, 1, 21, 7, 0))  # and the next morning's digest

    def mail_to(person):
        return "\n".join(
            part
            for m in mail.outbox
            if any(person.email in to for to in m.to)
            for part in (m.subject, m.body, *(html for html, _ in m.alternatives))
        )

    assert "All to read the strategy" in mail_to(observer)
    assert "redundancy paper" not in mail_to(observer)
    assert "redundancy paper" in mail_to(member)
