"""Issue 15, points 4 and 5: a past meeting's actions entered as they happened (due dates
against the meeting's date, no stale overdue mail unless asked) and owned by whoever the
minutes name (officers, guests, partnership people), not only board members."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import Action, Reminder
from actions.reminders import run_reminder_pass
from boards.tests.factories import PersonFactory
from meetings.models import Attendance, Meeting
from meetings.tests.factories import AgendaItemFactory, AttendanceFactory, MeetingFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
LONDON = timezone.get_default_timezone()


@pytest.fixture
def meeting_2013(board, secretary):
    board.secretary = secretary
    board.save(update_fields=["secretary"])
    return MeetingFactory(
        board=board,
        starts_at=dt.datetime(2013, 1, 15, 9, 30, tzinfo=LONDON),
        status=Meeting.Status.HELD,
    )


@pytest.fixture
def item_2013(meeting_2013):
    return AgendaItemFactory(meeting=meeting_2013, number="2", title="Honda update")


def _record(client, item, **data):
    return client.post(
        reverse("actions:item_actions", args=[item.pk]),
        {"text": "Write to Honda", "due_kind": "date"} | data,
        **HTMX,
    )


# --- point 4: due dates and reminders ------------------------------------------------


def test_a_past_meetings_due_dates_are_checked_against_its_date(
    client_for, secretary, member, item_2013
):
    client = client_for(secretary)
    refused = _record(client, item_2013, owners=[member.pk], due_on="2013-01-14")
    assert "The due date is before the meeting (15 January 2013)." in refused.content.decode()
    assert not Action.objects.exists()
    accepted = _record(client, item_2013, owners=[member.pk], due_on="2013-02-28")
    assert "The due date is" not in accepted.content.decode()
    assert Action.objects.get().due_on == dt.date(2013, 2, 28)


def _circulate(client, meeting, **box):
    return client.post(
        reverse("meetings:status", args=[meeting.pk]),
        {"status": Meeting.Status.MINUTES_DRAFTED} | box,
    )


def _next_morning():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, dt.time(8, 0), tzinfo=LONDON)


def test_circulating_an_old_meeting_sends_no_overdue_reminders_by_default(
    client_for, secretary, member, item_2013, meeting_2013
):
    client = client_for(secretary)
    edit = client.get(reverse("meetings:edit", args=[meeting_2013.pk])).content.decode()
    assert 'name="remind_overdue" id="remind-overdue">' in edit  # shown, not ticked
    services.record_action(
        item=item_2013, text="Write to Honda", by=secretary, owners=[member],
        due_on=dt.date(2013, 2, 28),
    )  # fmt: skip
    services.record_action(
        item=item_2013, text="Report on the supply chain", by=secretary, owners=[member],
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )  # fmt: skip
    _circulate(client, meeting_2013, remind_overdue_shown="1")
    meeting_2013.refresh_from_db()
    assert meeting_2013.remind_overdue is False
    run_reminder_pass(_next_morning())
    sent = " ".join(m.body for m in mail.outbox)
    assert "Report on the supply chain" in sent  # still to come: its owner hears of it
    assert "Write to Honda" not in sent
    assert not Reminder.objects.filter(action__text="Write to Honda").exists()


def test_the_secretary_may_ask_for_overdue_reminders_of_an_old_meeting(
    client_for, secretary, member, item_2013, meeting_2013
):
    services.record_action(
        item=item_2013, text="Write to Honda", by=secretary, owners=[member],
        due_on=dt.date(2013, 2, 28),
    )  # fmt: skip
    _circulate(client_for(secretary), meeting_2013, remind_overdue_shown="1", remind_overdue="on")
    run_reminder_pass(_next_morning())
    assert Reminder.objects.filter(action__text="Write to Honda", kind="overdue").exists()
    assert "Write to Honda" in " ".join(m.body for m in mail.outbox)


def test_a_recent_meeting_reminds_of_overdue_actions_by_default(
    client_for, secretary, member, board
):
    recent = MeetingFactory(
        board=board,
        starts_at=timezone.now() - dt.timedelta(days=10),
        status=Meeting.Status.HELD,
    )
    item = AgendaItemFactory(meeting=recent)
    client = client_for(secretary)
    edit = client.get(reverse("meetings:edit", args=[recent.pk])).content.decode()
    assert 'name="remind_overdue" id="remind-overdue" checked>' in edit
    services.record_action(
        item=item, text="Send the figures", by=secretary, owners=[member],
        due_on=timezone.localdate() - dt.timedelta(days=2),
    )  # fmt: skip
    _circulate(client, recent)  # the plain button: the default applies
    recent.refresh_from_db()
    assert recent.remind_overdue is True
    run_reminder_pass(_next_morning())
    assert Reminder.objects.filter(action__text="Send the figures", kind="overdue").exists()


# --- point 5: owners ---------------------------------------------------------------


def test_an_officer_in_attendance_owns_an_action(client_for, secretary, board, item_2013):
    officer = PersonFactory(name="Jill Annal")
    AttendanceFactory(
        meeting=item_2013.meeting, person=officer, status=Attendance.Status.IN_ATTENDANCE
    )
    response = _record(client_for(secretary), item_2013, owners=[officer.pk], due_on="2013-02-28")
    assert response.status_code == 200
    assert list(Action.objects.get().owners.all()) == [officer]


def test_a_person_of_the_partnership_owns_an_action(client_for, secretary, board, item_2013):
    guest = PersonFactory(name="Phil Harrison", added_for=board)
    _record(client_for(secretary), item_2013, owners=[guest.pk], due_kind="next_meeting")
    assert list(Action.objects.get().owners.all()) == [guest]


def test_another_partnerships_person_cannot_own_an_action(
    client_for, secretary, outsider, item_2013
):
    response = _record(
        client_for(secretary), item_2013, owners=[outsider.pk], due_kind="next_meeting"
    )
    assert "not one of the available choices" in response.content.decode()
    with pytest.raises(services.ActionError, match="not in the attendance or the partnership"):
        services.record_action(item=item_2013, text="Leak", by=secretary, owners=[outsider])
    assert not Action.objects.exists()


def test_the_owner_box_asks_the_meetings_people_search(client_for, secretary, item_2013):
    page = (
        client_for(secretary)
        .get(reverse("actions:item_actions", args=[item_2013.pk]), **HTMX)
        .content.decode()
    )
    url = reverse("meetings:people_search", args=[item_2013.meeting_id])
    assert f'data-people-url="{url}"' in page


def test_the_edit_form_shows_the_due_date_it_has(client_for, secretary, member, item_2013):
    action = services.record_action(
        item=item_2013, text="Write to Honda", by=secretary, owners=[member],
        due_on=dt.date(2013, 2, 28),
    )  # fmt: skip
    page = client_for(secretary).get(reverse("actions:detail", args=[action.pk]))
    assert 'value="2013-02-28"' in page.content.decode()


def test_a_meeting_with_no_known_time_is_a_days_event_in_the_calendar(client, board):
    from icalendar import Calendar

    MeetingFactory(
        board=board,
        starts_at=dt.datetime(2013, 1, 15, 12, tzinfo=LONDON),
        start_time_known=False,
        status=Meeting.Status.HELD,
    )
    response = client.get(reverse("actions:board_feed", args=[board.slug]))
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("DTSTART") == dt.date(2013, 1, 15)
    assert event.decoded("DTEND") == dt.date(2013, 1, 16)
