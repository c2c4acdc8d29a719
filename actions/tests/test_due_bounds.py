"""Due dates within the years the record holds (1990 to 2100): 9999-12-31 or 0001-01-03 is
a typing slip that later overflows the reminder arithmetic, so it is refused at the form
with the typed text kept, and the database refuses it too."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from actions.models import Action
from actions.tests.factories import ActionFactory
from meetings.models import Meeting
from meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = ["9999-12-31", "0001-01-03", "1989-12-31", "2101-01-01"]


@pytest.mark.parametrize("typed", OUT_OF_RANGE)
def test_it_refuses_a_due_date_outside_the_record_on_the_edit_form(
    client_for, action, secretary, member, typed
):
    due_before = action.due_on
    response = client_for(secretary).post(
        reverse("actions:edit", args=[action.pk]),
        {
            "text": "Scope the data sharing review, with health",
            "owners": [member.pk],
            "due_kind": "date",
            "due_on": typed,
        },
    )
    page = response.content.decode()
    assert "Give a due date between 1 January 1990 and 31 December 2100." in page
    # What was typed is shown back, so nothing is lost.
    assert "Scope the data sharing review, with health" in page
    action.refresh_from_db()
    assert action.text == "Scope the data sharing review"
    assert action.due_on == due_before


def test_it_accepts_the_last_day_of_the_record(client_for, action, secretary, member):
    response = client_for(secretary).post(
        reverse("actions:edit", args=[action.pk]),
        {"text": action.text, "owners": [member.pk], "due_kind": "date", "due_on": "2100-12-31"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.due_on == dt.date(2100, 12, 31)


def test_it_refuses_a_far_future_due_date_when_recording(client_for, item, secretary, member):
    response = client_for(secretary).post(
        reverse("actions:item_actions", args=[item.pk]),
        {"text": "Report back", "owners": [member.pk], "due_kind": "date", "due_on": "9999-12-31"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert "Give a due date between 1 January 1990 and 31 December 2100." in page
    assert "Report back" in page
    assert not Action.objects.filter(text="Report back").exists()


@pytest.mark.parametrize("due_on", [dt.date(9999, 12, 31), dt.date(1, 1, 3)])
def test_it_refuses_an_out_of_range_due_date_in_the_database(item, due_on):
    action = ActionFactory(item=item)
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(due_on=due_on)


# The meeting's date uses the same window (meetings.models.FIRST_DAY/LAST_DAY): its
# actions fall due from it, and 0001-01-01 overflowed converting London time to UTC.


@pytest.mark.parametrize("typed", ["9999-12-31", "0001-01-01"])
def test_it_refuses_a_meeting_date_outside_the_record(client_for, secretary, board, typed):
    response = client_for(secretary).post(
        reverse("meetings:create", args=[board.slug]),
        {"date": typed, "time": "00:30", "venue": "Civic Offices", "kind": "ordinary"},
    )
    page = response.content.decode()
    assert "Give a date between 1 January 1990 and 31 December 2100." in page
    assert "Civic Offices" in page
    assert not Meeting.objects.filter(board=board).exists()


def test_it_refuses_an_out_of_range_meeting_in_the_database(board):
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(board=board, starts_at=dt.datetime(2150, 1, 1, tzinfo=dt.UTC))
