"""Reminder e-mails people don't mind: plain subjects, one line per action, a way out."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client

from actions.reminders import run_reminder_pass
from actions.tests.conftest import london
from boards.unsubscribe import unsubscribe_token

pytestmark = pytest.mark.django_db

MORNING = london(2026, 3, 2, 7, 0)  # Monday 2 March, digest time


@pytest.fixture
def childrens_board(board):
    board.name = "Children's Services"
    board.save(update_fields=["name"])
    return board


@pytest.fixture
def https_site(settings):
    settings.SITE_URL = "https://minutebook.example"


def circulate(meeting, at):
    meeting.minutes_circulated_at = at
    meeting.save(update_fields=["minutes_circulated_at"])


def test_it_writes_subjects_as_plain_text(make_action, separate, childrens_board):
    make_action([separate], text="Review the children's plan", due_on=dt.date(2026, 3, 9))

    run_reminder_pass(MORNING)

    [message] = mail.outbox
    assert message.subject == "Due 9 Mar: Review the children's plan (Children's Services)"
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert "<title>Due 9 Mar: Review the children&#x27;s plan" in html


def test_it_lists_an_action_once_in_a_digest_under_its_most_urgent_kind(
    make_action, member, meeting
):
    circulate(meeting, london(2026, 3, 2, 6, 0))
    make_action([member], text="Book the venue", due_on=dt.date(2026, 3, 9))  # new, due soon
    make_action([member], text="Draft the strategy", due_on=dt.date(2026, 3, 2))  # due today

    run_reminder_pass(MORNING)

    [digest] = mail.outbox
    assert digest.subject == "Your board actions: 2 reminders for Monday 2 March"
    assert digest.body.count("Book the venue") == 1
    assert digest.body.count("Draft the strategy") == 1
    assert "NEW ACTION" not in digest.body
    assert "DUE SOON\nBook the venue" in digest.body
    assert "DUE TODAY\nDraft the strategy" in digest.body


def test_it_calls_an_action_entered_after_its_due_date_overdue_not_new(
    make_action, separate, meeting
):
    circulate(meeting, london(2026, 3, 2, 6, 0))
    action = make_action([separate], text="Return the audit form", due_on=dt.date(2026, 2, 20))

    run_reminder_pass(MORNING)

    [message] = mail.outbox
    assert message.subject.startswith("Overdue since 20 Feb: Return the audit form")
    assert list(action.reminders.values_list("kind", flat=True)) == ["overdue"]


def test_it_offers_one_click_unsubscribe_in_the_headers_and_the_body(
    make_action, separate, https_site
):
    make_action([separate], due_on=dt.date(2026, 3, 9))
    run_reminder_pass(MORNING)

    [message] = mail.outbox
    url = (
        f"https://minutebook.example/accounts/reminders/unsubscribe/{unsubscribe_token(separate)}/"
    )
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    headers = message.message()
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "https://minutebook.example/accounts/reminders/" in message.body
    assert url in message.body and url in message.alternatives[0][0]


def test_it_turns_reminders_off_on_a_one_click_post_without_sign_in(make_action, separate):
    url = f"/accounts/reminders/unsubscribe/{unsubscribe_token(separate)}/"
    client = Client(enforce_csrf_checks=True)  # as a mail client posts: no cookie, no token

    response = client.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert b"Reminders are off" in response.content
    separate.refresh_from_db()
    assert not any(
        (
            separate.reminds_assigned,
            separate.reminds_due_soon,
            separate.reminds_due_today,
            separate.reminds_overdue,
        )
    )
    make_action([separate], due_on=dt.date(2026, 3, 9))
    make_action([separate], due_on=dt.date(2026, 3, 2))
    run_reminder_pass(MORNING)
    assert mail.outbox == []


def test_it_only_asks_on_a_get_so_link_scanners_unsubscribe_nobody(separate):
    response = Client().get(f"/accounts/reminders/unsubscribe/{unsubscribe_token(separate)}/")

    assert response.status_code == 200
    assert b"Stop reminders" in response.content
    separate.refresh_from_db()
    assert separate.reminds_due_soon is True


def test_it_refuses_a_forged_unsubscribe_token(separate, member):
    forged = unsubscribe_token(separate).rsplit(":", 1)[0] + ":forged"
    response = Client().post(f"/accounts/reminders/unsubscribe/{forged}/")
    assert response.status_code == 404
    separate.refresh_from_db()
    assert separate.reminds_due_soon is True


def test_it_stops_only_the_kinds_turned_off_on_the_preferences_page(
    client_for, make_action, member
):
    client = client_for(member)
    page = client.get("/accounts/reminders/")
    for label in (
        b"A new action is mine",
        b"An action is due soon",
        b"An action is due today",
        b"An action is overdue",
    ):
        assert label in page.content
    response = client.post(
        "/accounts/reminders/",
        {
            "wants_digest": "False",
            "reminds_assigned": "on",
            "reminds_due_today": "on",
            "reminds_overdue": "on",
        },
        follow=True,
    )
    assert b"Your reminder preference is saved." in response.content
    member.refresh_from_db()
    assert (member.wants_digest, member.reminds_due_soon, member.reminds_due_today) == (
        False,
        False,
        True,
    )

    make_action([member], text="Book the venue", due_on=dt.date(2026, 3, 9))  # due soon
    make_action([member], text="Draft the strategy", due_on=dt.date(2026, 3, 2))  # due today
    run_reminder_pass(MORNING)

    [message] = mail.outbox
    assert message.subject.startswith("Due today: Draft the strategy")
